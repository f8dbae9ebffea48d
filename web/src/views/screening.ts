/** The screening outcome and the case's steps in plain words: shared by the referral and case pages. */
import { summaryList, tag } from '../components.js';
import { h } from '../dom.js';
import { currentLang, formatDateTime, t, tOptional } from '../i18n.js';
import { agencyName, outcomeName, targetGroupName, teamName, withdrawalReasonText } from '../names.js';

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

/** Where each team stands now, from the steps (the history is the truth; the screening is a moment). */
type TeamState = 'routed' | 'working' | 'closed' | 'declined' | 'consent-withdrawn';

export function teamStates(history: readonly HistoryStep[]): Map<string, TeamState> {
  const states = new Map<string, TeamState>();
  const next: Record<string, TeamState> = {
    routed: 'routed',
    accepted: 'working',
    'intervention-started': 'working',
    closed: 'closed',
    declined: 'declined',
    'consent-withdrawn': 'consent-withdrawn',
  };
  for (const step of history) {
    const state = next[step.event];
    if (step.team && state) states.set(step.team, state);
  }
  return states;
}

/** "A, B och C" / "A, B and C". */
const teamList = (teams: readonly string[]) =>
  new Intl.ListFormat(currentLang() === 'sv' ? 'sv-SE' : 'en-GB', { type: 'conjunction' }).format(
    teams.map(teamName),
  );

/**
 * What the status means now, said from the steps: which teams work on the case, which have it but
 * have not started, which are done and which left. A status alone ("a team is working on the case")
 * goes stale when the only team closes or declines while another still holds the case.
 */
export function statusExplanation(status: string, history: readonly HistoryStep[]): string {
  const generic = tOptional(`status.${status}.explanation`) ?? '';
  if (status !== 'ROUTED' && status !== 'IN_PROGRESS') return generic;
  const states = teamStates(history);
  if (states.size === 0) return generic;
  const teamsIn = (...wanted: TeamState[]) =>
    [...states].filter(([, state]) => wanted.includes(state)).map(([team]) => team);
  const working = teamsIn('working');
  const waiting = teamsIn('routed');
  const closed = teamsIn('closed');
  const left = teamsIn('declined', 'consent-withdrawn');
  const sentences: string[] = [];
  if (status === 'ROUTED' && waiting.length > 0) {
    sentences.push(t('referral.now.routed', { teams: teamList(waiting) }));
  } else {
    if (working.length > 0) sentences.push(t('referral.now.working', { teams: teamList(working) }));
    if (waiting.length > 0) sentences.push(t('referral.now.waiting', { teams: teamList(waiting) }));
  }
  if (closed.length > 0) sentences.push(t('referral.now.closed', { teams: teamList(closed) }));
  if (left.length > 0) sentences.push(t('referral.now.left', { teams: teamList(left) }));
  // Every team this reader sees is done or gone, yet the case is open: another team still holds it.
  if (working.length === 0 && waiting.length === 0) sentences.push(t('referral.now.othersOpen'));
  return sentences.join(' ');
}

/**
 * Who referred, as a value beside a label: the municipality by its name ("Timrå kommun", not
 * "kommunen"), the agencies as their names start a line.
 */
export function referrerName(agency: string, municipalityName: string): string {
  if (agency === 'municipality') return t('referral.municipality', { name: municipalityName });
  const name = agencyName(agency);
  return name.charAt(0).toLocaleUpperCase(currentLang()) + name.slice(1);
}

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

/**
 * The teams the screening sent the case to, each with where it stands now when it has left or closed,
 * and the teams it went to later (the front desk, after the last decline).
 */
function routesNow(routes: readonly string[], history: readonly HistoryStep[] | undefined): HTMLElement {
  const states = teamStates(history ?? []);
  const later = [...states.keys()].filter((team) => !routes.includes(team));
  const now = (team: string) => {
    const state = states.get(team);
    return state === 'declined' || state === 'closed' || state === 'consent-withdrawn'
      ? t(`screening.routeNow.${state}`)
      : undefined;
  };
  return h(
    'ul',
    { class: 'list' },
    routes.map((team) => {
      const state = now(team);
      return h('li', null, state ? `${teamName(team)} (${state})` : teamName(team));
    }),
    later.map((team) => {
      const state = now(team);
      return h('li', null, `${teamName(team)} (${state ?? t('screening.routeNow.later')})`);
    }),
  );
}

/** The screening; with the steps, its teams say where they stand now (a decline, a close). */
export function screeningSection(
  screening: Screening | null,
  headingLevel: 'h2' | 'h3' = 'h2',
  history?: readonly HistoryStep[],
): HTMLElement {
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
      [t('screening.routes'), routesNow(screening.routes, history)],
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

/** The referrals a case page knows: a `received` step is the one submitted at the same moment. */
export type KnownReferrals = {
  referrals: readonly { agency?: string; submittedAt: string }[];
  municipalityName: string;
};

export function stepText(step: HistoryStep, known?: KnownReferrals): string {
  const team = step.team ? teamName(step.team) : t('history.someone');
  const from =
    step.event === 'received'
      ? known?.referrals.find((referral) => referral.submittedAt === step.at)?.agency
      : undefined;
  const text = from
    ? t('history.receivedFrom', {
        agency:
          from === 'municipality'
            ? t('referral.municipality', { name: known?.municipalityName ?? '' })
            : agencyName(from),
      })
    : (tOptional(`history.${step.event}`, { team }) ?? step.event);
  if (step.outcome) return `${text} ${t('history.outcome', { outcome: outcomeName(step.outcome) })}`;
  if (step.event === 'consent-withdrawn' && step.reason)
    return `${text} ${t('history.reason', { reason: withdrawalReasonText(step.reason) })}`;
  return text;
}

/**
 * The steps, newest last, as an ordered list with times. Given the case's referrals, each `received`
 * step names the agency that sent it (a case page shows every referral's).
 */
export function historySection(history: readonly HistoryStep[], known?: KnownReferrals): HTMLElement {
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
          h('span', { class: 'timeline__text' }, stepText(step, known)),
          h('time', { class: 'timeline__time', datetime: step.at }, formatDateTime(step.at)),
        ),
      ),
    ),
  );
}
