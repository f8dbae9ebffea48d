/** The screening outcome and the case's steps in plain words: shared by the referral and case pages. */
import { summaryList, tag } from '../components.js';
import { h } from '../dom.js';
import { currentLang, formatDateTime, t, tOptional } from '../i18n.js';
import { outcomeName, targetGroupName, teamName, withdrawalReasonText } from '../names.js';

export type Screening = {
  /** Left out for a restricted (partner) team: beside its share of the target groups it could tell of a hidden one. */
  eligible?: boolean;
  targetGroups: string[];
  priority: 'high' | 'normal';
  jointAssessment: boolean;
  routes: string[];
  reasons: { code: string; text: string; textSv?: string; team?: string }[];
  rulesetVersion: string;
  screenedAt?: string;
};

export type HistoryStep = {
  at: string;
  event: string;
  team?: string;
  outcome?: string;
  /** Why the client's consent no longer covers the team (on `consent-withdrawn`). */
  reason?: string;
};

export function statusTag(status: string): HTMLElement {
  const tone = {
    RECEIVED: 'grey',
    ROUTED: 'blue',
    IN_PROGRESS: 'yellow',
    CLOSED: 'green',
    DECLINED: 'red',
    WITHDRAWN: 'grey',
  } as const;
  return tag(tOptional(`status.${status}.label`) ?? status, tone[status as keyof typeof tone] ?? 'grey');
}

export const priorityTag = (priority: string) =>
  tag(tOptional(`priority.${priority}`) ?? priority, priority === 'high' ? 'red' : 'grey');

/** The reasons in the reader's language: the ruleset writes each one in English and Swedish. */
const reasonText = (reason: Screening['reasons'][number]) =>
  currentLang() === 'sv' && reason.textSv ? reason.textSv : reason.text;

export function screeningSection(screening: Screening | null, headingLevel: 'h2' | 'h3' = 'h2'): HTMLElement {
  if (!screening) {
    return h(
      'section',
      { class: 'section', 'aria-labelledby': 'screening-heading' },
      h(headingLevel, { class: 'heading-m', id: 'screening-heading' }, t('screening.title')),
      h('p', { class: 'body' }, t('screening.pending')),
    );
  }
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'screening-heading' },
    h(headingLevel, { class: 'heading-m', id: 'screening-heading' }, t('screening.title')),
    screening.eligible === undefined
      ? null
      : h('p', { class: 'body' }, screening.eligible ? t('screening.eligible') : t('screening.notEligible')),
    summaryList([
      [
        t('screening.targetGroups'),
        screening.targetGroups.length === 0
          ? t('screening.noTargetGroup')
          : h(
              'ul',
              { class: 'list' },
              screening.targetGroups.map((code) =>
                h('li', null, h('span', { class: 'code' }, code), ' ', targetGroupName(code)),
              ),
            ),
      ],
      [t('screening.priority'), priorityTag(screening.priority)],
      [
        t('screening.jointAssessment'),
        screening.jointAssessment ? t('screening.jointAssessmentYes') : t('screening.jointAssessmentNo'),
      ],
      [
        t('screening.routes'),
        h(
          'ul',
          { class: 'list' },
          screening.routes.map((team) => h('li', null, teamName(team))),
        ),
      ],
      [
        t('screening.reasons'),
        h(
          'ul',
          { class: 'list list--bullet' },
          screening.reasons.map((reason) => h('li', null, reasonText(reason))),
        ),
      ],
      [
        t('screening.ruleset'),
        screening.screenedAt
          ? t('screening.rulesetAt', {
              version: screening.rulesetVersion,
              at: formatDateTime(screening.screenedAt),
            })
          : screening.rulesetVersion,
      ],
    ]),
  );
}

export function stepText(step: HistoryStep): string {
  const team = step.team ? teamName(step.team) : t('history.someone');
  const text = tOptional(`history.${step.event}`, { team }) ?? step.event;
  if (step.outcome) return `${text} ${t('history.outcome', { outcome: outcomeName(step.outcome) })}`;
  if (step.event === 'consent-withdrawn' && step.reason)
    return `${text} ${t('history.reason', { reason: withdrawalReasonText(step.reason) })}`;
  return text;
}

/** The steps, newest last, as an ordered list with times. */
export function historySection(history: readonly HistoryStep[]): HTMLElement {
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'history-heading' },
    h('h2', { class: 'heading-m', id: 'history-heading' }, t('history.title')),
    h(
      'ol',
      { class: 'timeline' },
      history.map((step) =>
        h(
          'li',
          { class: 'timeline__item' },
          h('span', { class: 'timeline__text' }, stepText(step)),
          h('time', { class: 'timeline__time', datetime: step.at }, formatDateTime(step.at)),
        ),
      ),
    ),
  );
}
