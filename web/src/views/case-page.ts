import { nextState } from '../../../shared/cases/assignments.js';
import { type AssignmentState, OUTCOMES } from '../../../shared/cases/model.js';
import { api, isConsentWithdrawn, isOutage } from '../api.js';
import {
  button,
  errorSummary,
  notice,
  radiosField,
  signedOutNotice,
  summaryList,
  textareaField,
  textField,
} from '../components.js';
import { type Child, h, replaceChildren } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, t, tOptional } from '../i18n.js';
import { agencyName, outcomeName, teamName, withdrawalReasonText } from '../names.js';
import type { View, ViewContext } from '../view.js';
import {
  type HistoryStep,
  historySection,
  type Screening,
  screeningSection,
  statusExplanation,
  statusTag,
  stepText,
} from './screening.js';

type Assignment = {
  team: string;
  state: AssignmentState;
  status: string;
  routedAt: string;
  acceptedAt?: string;
  interventionStartedAt?: string;
  closedAt?: string;
  declinedAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: string;
  outcome?: string;
  reason?: string;
  note?: string;
  /** The team's caseworker: who to call. */
  assignee?: { id: string; name: string };
};
type Note = { noteId: string; team: string; at: string; author: { id: string; name: string }; text: string };
type CaseView = {
  caseId: string;
  /** FD-2026-00042: what people read out on the phone. */
  reference?: string;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  person: Record<string, unknown>;
  referrals: {
    referralId: string;
    /** Left out for a restricted (partner) team, as are the consent's recipients. */
    agency?: string;
    submittedAt: string;
    consent: Record<string, unknown>;
    situation: Record<string, unknown>;
    reason?: string;
  }[];
  screening: Screening | null;
  assignments: Assignment[];
  history: HistoryStep[];
  /** The journals of the caller's teams (all of them for the front desk and admins). */
  notes?: Note[];
};

type EventType = 'accepted' | 'declined' | 'intervention-started' | 'closed';
/** One team's action being filled in; its Idempotency-Key is reused if a lost answer makes the user send again. */
type ActionDraft = {
  reason: string;
  outcome: string;
  note: string;
  errors: { field: 'reason' | 'outcome'; kind: string }[];
  idempotencyKey: string;
};

const NOTE_LIMIT = 2000;
const JOURNAL_LIMIT = 4000;
/** A user id as the API takes it for an assignee. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}$/;
const PERSON_FIELDS = [
  'personalIdentityNumber',
  'givenName',
  'familyName',
  'municipalityCode',
  'phone',
  'email',
  'preferredLanguage',
  'interpreterNeeded',
  'accessibilityNeeds',
] as const;

/**
 * The id the API names the caller by as an assignee (`assignee: me`): the sign-in name
 * (`cognito:username`, or `username` in an access token), else the token's subject.
 */
function subjectOf(token: string | undefined): string | undefined {
  try {
    const part = (token ?? '').split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const id = claims['cognito:username'] ?? claims.username ?? claims.sub;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The stored 12-digit form, written the usual way: YYYYMMDD-NNNN. */
const identityNumber = (value: unknown) => {
  const text = String(value);
  return /^\d{12}$/.test(text) ? `${text.slice(0, 8)}-${text.slice(8)}` : text;
};

const yesNo = (value: unknown) =>
  value === true ? t('form.yes') : value === false ? t('form.no') : String(value);
const label = (field: string) =>
  tOptional(`form.fields.${field}.short`) ?? tOptional(`form.fields.${field}.label`) ?? field;

function situationValue(field: string, value: unknown): string {
  if (typeof value === 'boolean') return yesNo(value);
  if (field === 'compensation') return tOptional(`form.compensation.${String(value)}`) ?? String(value);
  if (field.endsWith('Months')) return t('casePage.months', { count: String(value) });
  if (field === 'workCapacityHoursPerWeek')
    return t('casePage.hours', { count: formatNumber(Number(value)) });
  return String(value);
}

/**
 * The case as the role may see it (GET /cases/{caseId}), and the team's next steps: accept, decline
 * with a reason, start an intervention, close with an outcome (POST /cases/{caseId}/events).
 */
export function casePageView(context: ViewContext): View {
  const caseId = context.params[0] ?? '';
  const myTeams = context.session?.teams ?? [];
  const restricted =
    myTeams.length > 0 &&
    myTeams.every((team) => context.config.restrictedTeams.includes(team)) &&
    !myTeams.includes('front-desk');
  let view: CaseView | undefined;
  /** `consentWithdrawn`: the client's consent no longer covers the team, which has lost the case. */
  let failure: 'outage' | 'notFound' | 'consentWithdrawn' | 'signedOut' | undefined;
  let actionProblem: 'outage' | 'conflict' | 'general' | undefined;
  let done: string | undefined;
  /** The team declined: it has left the case and may no longer read it. */
  let left = false;
  let sending = false;
  let focusTarget: string | undefined;
  const drafts = new Map<string, ActionDraft>();
  /** The team whose decline waits for the user to confirm it. */
  let confirmingDecline: string | undefined;
  /** Giving the case to a colleague, per team: the user id typed and what is wrong with it. */
  const handOver = new Map<string, { userId: string; error?: 'required' | 'invalid' | undefined }>();
  /** The journal note being written. */
  const journal: { team: string; text: string; error?: 'required' | 'tooLong' | undefined; key: string } = {
    team: '',
    text: '',
    key: crypto.randomUUID(),
  };
  let journalProblem: 'outage' | 'general' | undefined;
  let journalSaved = false;
  let body: HTMLElement | undefined;
  let heading: HTMLElement | undefined;

  const personName = () =>
    view ? [view.person.givenName, view.person.familyName].filter(Boolean).join(' ') : '';
  const title = () =>
    failure === 'consentWithdrawn'
      ? t('casePage.withdrawnTitle')
      : personName()
        ? view?.reference
          ? t('casePage.titleWithReference', { name: personName(), reference: view.reference })
          : t('casePage.titleWithName', { name: personName() })
        : t('casePage.title');

  const draftOf = (team: string) => {
    let draft = drafts.get(team);
    if (!draft) {
      draft = { reason: '', outcome: '', note: '', errors: [], idempotencyKey: crypto.randomUUID() };
      drafts.set(team, draft);
    }
    return draft;
  };

  async function load() {
    const outcome = await api<CaseView>(`/cases/${encodeURIComponent(caseId)}`);
    if (outcome.kind === 'ok') {
      view = outcome.data;
      failure = undefined;
    } else if (isOutage(outcome)) failure = 'outage';
    else if (isConsentWithdrawn(outcome)) return lost(false);
    else failure = outcome.kind === 'problem' && outcome.status === 401 ? 'signedOut' : 'notFound';
    draw();
  }

  /**
   * The team has lost the case to the client's consent: nothing of it is shown any more. After an
   * action, reading starts again at the heading, which now says why.
   */
  function lost(moveFocus: boolean) {
    view = undefined;
    drafts.clear();
    actionProblem = undefined;
    done = undefined;
    failure = 'consentWithdrawn';
    focusTarget = moveFocus ? 'main h1' : undefined;
    draw();
  }

  async function post(team: string, type: EventType) {
    if (sending || !view) return;
    const draft = draftOf(team);
    // The same rules as the server's case event schema: a reason to decline, an outcome to close.
    draft.errors = [];
    if (type === 'declined' && draft.reason.trim() === '')
      draft.errors.push({ field: 'reason', kind: 'required' });
    if (type === 'declined' && draft.reason.length > NOTE_LIMIT)
      draft.errors.push({ field: 'reason', kind: 'tooLong' });
    if (type === 'closed' && draft.outcome === '') draft.errors.push({ field: 'outcome', kind: 'required' });
    if (type === 'closed' && draft.note.length > NOTE_LIMIT)
      draft.errors.push({ field: 'outcome', kind: 'noteTooLong' });
    actionProblem = undefined;
    done = undefined;
    if (draft.errors.length > 0) {
      focusTarget = '#error-summary';
      return draw();
    }
    const event: Record<string, unknown> = { type, team, expectedVersion: view.version };
    if (type === 'declined') event.reason = draft.reason.trim();
    if (type === 'closed') event.outcome = draft.outcome;
    if ((type === 'closed' || type === 'declined') && draft.note.trim() !== '')
      event.note = draft.note.trim();
    sending = true;
    const outcome = await api(`/cases/${encodeURIComponent(caseId)}/events`, {
      method: 'POST',
      body: event,
      headers: { 'Idempotency-Key': `${draft.idempotencyKey}-${type}` },
    });
    sending = false;
    if (outcome.kind === 'ok') {
      drafts.delete(team);
      done = stepText({
        at: '',
        event: type,
        team,
        ...(type === 'closed' ? { outcome: String(event.outcome) } : {}),
      });
      focusTarget = '#action-result';
      if (type === 'declined') {
        left = true;
        return draw();
      }
      await load();
      return;
    }
    if (isConsentWithdrawn(outcome)) return lost(true);
    if (isOutage(outcome)) actionProblem = 'outage';
    else if (outcome.kind === 'problem' && outcome.status === 409) {
      actionProblem = 'conflict';
      await load();
    } else if (outcome.kind === 'problem' && outcome.problem.errors?.length) {
      for (const error of outcome.problem.errors) {
        const field = error.path === 'reason' ? 'reason' : error.path === 'outcome' ? 'outcome' : undefined;
        if (field)
          draft.errors.push({ field, kind: /required/.test(error.message) ? 'required' : 'invalid' });
      }
      if (draft.errors.length === 0) actionProblem = 'general';
    } else actionProblem = 'general';
    focusTarget = draft.errors.length > 0 ? '#error-summary' : '#action-result';
    draw();
  }

  /** Names the team's caseworker: the user ("me") or a colleague by user id. */
  async function assign(team: string, assignee: string) {
    if (sending || !view) return;
    actionProblem = undefined;
    done = undefined;
    sending = true;
    const outcome = await api(`/cases/${encodeURIComponent(caseId)}/events`, {
      method: 'POST',
      body: { type: 'assigned', team, assignee, expectedVersion: view.version },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    sending = false;
    if (outcome.kind === 'ok') {
      handOver.delete(team);
      done =
        assignee === 'me'
          ? t('assign.doneMe', { team: teamName(team) })
          : t('assign.doneColleague', { team: teamName(team), user: assignee });
      focusTarget = '#action-result';
      await load();
      return;
    }
    if (isConsentWithdrawn(outcome)) return lost(true);
    if (isOutage(outcome)) actionProblem = 'outage';
    else if (outcome.kind === 'problem' && outcome.status === 409) {
      actionProblem = 'conflict';
      await load();
    } else if (outcome.kind === 'problem' && outcome.status === 400 && assignee !== 'me') {
      handOver.set(team, { userId: assignee, error: 'invalid' });
      focusTarget = '#error-summary';
      return draw();
    } else actionProblem = 'general';
    focusTarget = '#action-result';
    draw();
  }

  function giveToColleague(team: string) {
    const entry = handOver.get(team) ?? { userId: '' };
    const userId = entry.userId.trim();
    const error = userId === '' ? 'required' : USER_ID.test(userId) ? undefined : 'invalid';
    handOver.set(team, { userId: entry.userId, error });
    if (error) {
      focusTarget = '#error-summary';
      return draw();
    }
    void assign(team, userId);
  }

  /** Who works the case in the team, and the ways to take it or give it to a colleague. */
  function assignmentPanel(assignment: Assignment): HTMLElement | null {
    const team = assignment.team;
    if (assignment.state === 'closed') return null;
    const mine =
      assignment.assignee !== undefined && assignment.assignee.id === subjectOf(context.session?.token);
    const entry = handOver.get(team) ?? { userId: '' };
    const inputId = `assign-${team}-user`;
    const take = h(
      'form',
      { class: 'action' },
      button(t('assign.take'), { secondary: true, id: `assign-${team}-me` }),
    );
    take.addEventListener('submit', (event) => {
      event.preventDefault();
      void assign(team, 'me');
    });
    const give = h(
      'form',
      { class: 'action action--panel', novalidate: true, 'aria-labelledby': `assign-${team}-heading` },
      h('h3', { class: 'heading-s', id: `assign-${team}-heading` }, t('assign.giveTitle')),
      textField({
        id: inputId,
        name: 'assignee',
        label: t('assign.userId'),
        hint: t('assign.userIdHint'),
        error: entry.error ? t(`assign.errors.${entry.error}`) : undefined,
        width: 'w20',
        spellcheck: false,
        value: entry.userId,
        onInput: (value) => {
          handOver.set(team, { ...(handOver.get(team) ?? {}), userId: value });
        },
      }),
      button(t('assign.give'), { secondary: true }),
    );
    give.addEventListener('submit', (event) => {
      event.preventDefault();
      giveToColleague(team);
    });
    return h(
      'div',
      { class: 'assignee' },
      entry.error ? errorSummary([{ href: `#${inputId}`, text: t(`assign.errors.${entry.error}`) }]) : null,
      h(
        'p',
        { class: 'body', id: `assignee-${team}` },
        assignment.assignee
          ? mine
            ? t('assign.isYou')
            : t('assign.is', { name: assignment.assignee.name })
          : t('assign.nobody'),
      ),
      mine ? null : take,
      give,
    );
  }

  /** Who else still has the case if the team declines (closed work counts as done, not as held). */
  const othersLeft = (team: string) =>
    (view?.assignments ?? []).filter(
      (assignment) =>
        assignment.team !== team && !['declined', 'withdrawn', 'closed'].includes(assignment.state),
    );

  function declineConfirmation(team: string): HTMLElement {
    const others = othersLeft(team);
    const yes = h(
      'form',
      { class: 'action' },
      button(t('decline.confirm'), { id: `decline-${team}-confirm` }),
    );
    yes.addEventListener('submit', (event) => {
      event.preventDefault();
      confirmingDecline = undefined;
      void post(team, 'declined');
    });
    return h(
      'div',
      { class: 'action action--panel action--confirm', id: `decline-${team}-confirmation` },
      h(
        'h3',
        { class: 'heading-s', id: `decline-${team}-confirm-heading`, tabindex: '-1' },
        t('decline.title'),
      ),
      h('p', { class: 'body' }, t('decline.leave', { team: teamName(team) })),
      h(
        'p',
        { class: 'body', id: `decline-${team}-consequence` },
        others.length === 0
          ? t('decline.toFrontDesk')
          : t('decline.othersKeep', { teams: others.map((other) => teamName(other.team)).join(', ') }),
      ),
      h(
        'div',
        { class: 'button-group' },
        yes,
        button(t('decline.cancel'), {
          type: 'button',
          secondary: true,
          onClick: () => {
            confirmingDecline = undefined;
            focusTarget = `#action-${CSS.escape(team)}-reason`;
            draw();
          },
        }),
      ),
    );
  }

  function actions(assignment: Assignment): HTMLElement {
    const team = assignment.team;
    const draft = draftOf(team);
    const can = (type: EventType) => nextState(assignment.state, type) !== undefined;
    const idOf = (field: string) => `action-${team}-${field}`;
    const errorOf = (field: 'reason' | 'outcome') => {
      const error = draft.errors.find((entry) => entry.field === field);
      return error
        ? (tOptional(`caseActions.errors.${field}.${error.kind}`) ?? t('caseActions.errors.generic'))
        : undefined;
    };
    const quick = (type: EventType, text: string) => {
      const form = h('form', { class: 'action' }, button(text, { secondary: type !== 'accepted' }));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void post(team, type);
      });
      return form;
    };
    const parts: Child[] = [];
    if (draft.errors.length > 0) {
      parts.push(
        errorSummary(
          draft.errors.map((error) => ({ href: `#${idOf(error.field)}`, text: errorOf(error.field) ?? '' })),
        ),
      );
    }
    const buttons: Child[] = [];
    if (can('accepted')) buttons.push(quick('accepted', t('caseActions.accept')));
    if (can('intervention-started')) buttons.push(quick('intervention-started', t('caseActions.start')));
    if (buttons.length > 0) parts.push(h('div', { class: 'button-group' }, buttons));
    if (can('closed')) {
      const form = h(
        'form',
        { class: 'action action--panel', novalidate: true, 'aria-labelledby': idOf('close-heading') },
        h('h3', { class: 'heading-s', id: idOf('close-heading') }, t('caseActions.closeTitle')),
        radiosField({
          id: idOf('outcome'),
          name: 'outcome',
          legend: t('caseActions.outcome'),
          error: errorOf('outcome'),
          options: OUTCOMES.map((value) => ({ value, label: outcomeName(value) })),
          value: draft.outcome,
          onChange: (value) => {
            draft.outcome = value;
          },
        }),
        textareaField({
          id: idOf('note'),
          name: 'note',
          label: t('caseActions.note'),
          hint: t('caseActions.noteHint'),
          optional: true,
          rows: 3,
          maxLength: NOTE_LIMIT,
          value: draft.note,
          onInput: (value) => {
            draft.note = value;
          },
        }),
        button(t('caseActions.close')),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void post(team, 'closed');
      });
      parts.push(form);
    }
    if (can('declined') && confirmingDecline === team) {
      parts.push(declineConfirmation(team));
    } else if (can('declined')) {
      const form = h(
        'form',
        { class: 'action action--panel', novalidate: true, 'aria-labelledby': idOf('decline-heading') },
        h('h3', { class: 'heading-s', id: idOf('decline-heading') }, t('caseActions.declineTitle')),
        textareaField({
          id: idOf('reason'),
          name: 'reason',
          label: t('caseActions.reason'),
          hint: t('caseActions.reasonHint'),
          error: errorOf('reason'),
          rows: 3,
          maxLength: NOTE_LIMIT,
          value: draft.reason,
          onInput: (value) => {
            draft.reason = value;
          },
        }),
        button(t('caseActions.decline'), { secondary: true }),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        // Check the reason first; then ask before the team leaves the case.
        draft.errors = [];
        if (draft.reason.trim() === '') draft.errors.push({ field: 'reason', kind: 'required' });
        if (draft.reason.length > NOTE_LIMIT) draft.errors.push({ field: 'reason', kind: 'tooLong' });
        actionProblem = undefined;
        done = undefined;
        if (draft.errors.length > 0) {
          focusTarget = '#error-summary';
          return draw();
        }
        confirmingDecline = team;
        focusTarget = `#decline-${CSS.escape(team)}-confirm-heading`;
        draw();
      });
      parts.push(form);
    }
    if (parts.length === 0) parts.push(h('p', { class: 'body' }, t('caseActions.nothing')));
    return h(
      'section',
      { class: 'section no-print', 'aria-labelledby': idOf('heading') },
      h('h2', { class: 'heading-m', id: idOf('heading') }, t('caseActions.title', { team: teamName(team) })),
      assignmentPanel(assignment),
      ...parts,
    );
  }

  function personSection(person: Record<string, unknown>) {
    return h(
      'section',
      { class: 'section', 'aria-labelledby': 'person-heading' },
      h('h2', { class: 'heading-m', id: 'person-heading' }, t('casePage.person')),
      summaryList(
        PERSON_FIELDS.filter((field) => person[field] !== undefined).map((field) => {
          const value = person[field];
          const shown =
            field === 'personalIdentityNumber'
              ? identityNumber(value)
              : field === 'municipalityCode' && value === context.config.municipality.code
                ? `${String(value)} (${context.config.municipality.name})`
                : typeof value === 'boolean'
                  ? yesNo(value)
                  : String(value);
          return [label(field), shown] as const;
        }),
      ),
      restricted ? h('p', { class: 'hint' }, t('casePage.restricted')) : null,
    );
  }

  function referralsSection(referrals: CaseView['referrals']) {
    return h(
      'section',
      { class: 'section', 'aria-labelledby': 'referrals-heading' },
      h('h2', { class: 'heading-m', id: 'referrals-heading' }, t('casePage.referrals')),
      referrals.map((referral) => {
        const consent = referral.consent;
        // A restricted team is not told whom the client lets know; "every party" would be untrue.
        const recipients = Array.isArray(consent.recipients)
          ? (consent.recipients as string[]).map(teamName).join(', ')
          : restricted
            ? undefined
            : t('casePage.allTeams');
        return h(
          'div',
          { class: 'card' },
          h(
            'h3',
            { class: 'heading-s' },
            referral.agency
              ? t('casePage.referralFrom', {
                  agency: agencyName(referral.agency),
                  at: formatDateTime(referral.submittedAt),
                })
              : t('casePage.referralAt', { at: formatDateTime(referral.submittedAt) }),
          ),
          summaryList([
            ...Object.entries(referral.situation).map(
              ([field, value]) => [label(field), situationValue(field, value)] as const,
            ),
            [
              t('casePage.consent'),
              t('casePage.consentGiven', { date: formatDate(String(consent.recordedAt ?? '')) }),
            ],
            consent.method
              ? [
                  label('method'),
                  tOptional(`form.consentMethod.${String(consent.method)}`) ?? String(consent.method),
                ]
              : null,
            recipients ? [label('recipients'), recipients] : null,
            consent.validUntil ? [label('validUntil'), formatDate(String(consent.validUntil))] : null,
            referral.reason ? [label('reason'), h('p', { class: 'pre-line' }, referral.reason)] : null,
          ]),
        );
      }),
    );
  }

  function assignmentsSection(assignments: Assignment[]) {
    return h(
      'section',
      { class: 'section', 'aria-labelledby': 'teams-heading' },
      h('h2', { class: 'heading-m', id: 'teams-heading' }, t('casePage.teams')),
      h(
        'div',
        { class: 'table-wrapper' },
        h(
          'table',
          { class: 'table' },
          h('caption', { class: 'visually-hidden' }, t('casePage.teams')),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('casePage.columns.team')),
              h('th', { scope: 'col' }, t('casePage.columns.status')),
              h('th', { scope: 'col' }, t('casePage.columns.routedAt')),
              h('th', { scope: 'col' }, t('casePage.columns.assignee')),
              h('th', { scope: 'col' }, t('casePage.columns.details')),
            ),
          ),
          h(
            'tbody',
            null,
            assignments.map((assignment) =>
              h(
                'tr',
                null,
                h('td', null, teamName(assignment.team)),
                h('td', null, statusTag(assignment.status)),
                h('td', null, formatDateTime(assignment.routedAt)),
                h('td', null, assignment.assignee?.name ?? t('workList.noAssignee')),
                h(
                  'td',
                  null,
                  [
                    assignment.outcome
                      ? t('casePage.outcome', { outcome: outcomeName(assignment.outcome) })
                      : null,
                    assignment.reason ? t('casePage.declineReason', { reason: assignment.reason }) : null,
                    assignment.withdrawnAt && assignment.withdrawnReason
                      ? t('casePage.withdrawn', {
                          at: formatDateTime(assignment.withdrawnAt),
                          reason: withdrawalReasonText(assignment.withdrawnReason),
                        })
                      : null,
                    assignment.note ? t('casePage.note', { note: assignment.note }) : null,
                  ]
                    .filter(Boolean)
                    .join(' '),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** The teams the user may write a journal note for: their own teams that hold the case, and the front desk. */
  const journalTeams = () =>
    myTeams.filter(
      (team) =>
        team === 'front-desk' ||
        (view?.assignments ?? []).some(
          (assignment) =>
            assignment.team === team && assignment.state !== 'declined' && assignment.state !== 'withdrawn',
        ),
    );

  async function addNote() {
    if (sending || !view) return;
    const teams = journalTeams();
    const team = teams.includes(journal.team) ? journal.team : (teams[0] ?? '');
    const text = journal.text.trim();
    journal.error = text === '' ? 'required' : journal.text.length > JOURNAL_LIMIT ? 'tooLong' : undefined;
    journalProblem = undefined;
    journalSaved = false;
    if (journal.error) {
      focusTarget = '#error-summary';
      return draw();
    }
    sending = true;
    const outcome = await api(`/cases/${encodeURIComponent(caseId)}/notes`, {
      method: 'POST',
      body: { team, text },
      headers: { 'Idempotency-Key': journal.key },
    });
    sending = false;
    if (outcome.kind === 'ok') {
      journal.text = '';
      journal.key = crypto.randomUUID();
      journalSaved = true;
      focusTarget = '#note-result';
      await load();
      return;
    }
    if (isConsentWithdrawn(outcome)) return lost(true);
    if (outcome.kind === 'problem' && outcome.status === 400) {
      journal.error = outcome.problem.errors?.some((error) => /4000|too big|too long/i.test(error.message))
        ? 'tooLong'
        : 'required';
      focusTarget = '#error-summary';
    } else {
      journalProblem = isOutage(outcome) ? 'outage' : 'general';
      focusTarget = '#note-result';
    }
    draw();
  }

  /** The teams' journal of the case: dated notes, newest first, and a form to add one. */
  function notesSection(notes: Note[]): HTMLElement {
    const teams = journalTeams();
    const result = h('div', { id: 'note-result', tabindex: '-1', role: 'status' });
    if (journalSaved) result.append(notice('success', t('notes.saved')));
    if (journalProblem) {
      result.append(
        notice(
          'warning',
          t('caseActions.problemTitle'),
          h('p', null, t(journalProblem === 'outage' ? 'caseActions.outage' : 'notes.failed')),
        ),
      );
    }
    let form: HTMLElement | null = null;
    if (teams.length > 0) {
      const teamSelect =
        teams.length > 1
          ? h(
              'div',
              { class: 'form-group' },
              h('label', { class: 'label', for: 'note-team' }, t('notes.team')),
              h(
                'select',
                {
                  class: 'select',
                  id: 'note-team',
                  name: 'team',
                  onChange: (event: Event) => {
                    journal.team = (event.target as HTMLSelectElement).value;
                  },
                },
                teams.map((team) =>
                  h('option', { value: team, selected: team === journal.team }, teamName(team)),
                ),
              ),
            )
          : null;
      form = h(
        'form',
        { class: 'action action--panel no-print', novalidate: true, 'aria-labelledby': 'note-form-heading' },
        journal.error
          ? errorSummary([{ href: '#note-text', text: t(`notes.errors.${journal.error}`) }])
          : null,
        h('h3', { class: 'heading-s', id: 'note-form-heading' }, t('notes.add')),
        teamSelect,
        textareaField({
          id: 'note-text',
          name: 'text',
          label: t('notes.text'),
          hint:
            teams.length === 1 ? t('notes.hintTeam', { team: teamName(teams[0] ?? '') }) : t('notes.hint'),
          error: journal.error ? t(`notes.errors.${journal.error}`) : undefined,
          rows: 4,
          maxLength: JOURNAL_LIMIT,
          value: journal.text,
          onInput: (value) => {
            journal.text = value;
          },
        }),
        button(t('notes.save'), { id: 'note-save' }),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void addNote();
      });
    }
    const sorted = [...notes].sort((a, b) => b.at.localeCompare(a.at));
    return h(
      'section',
      { class: 'section', 'aria-labelledby': 'notes-heading' },
      h('h2', { class: 'heading-m', id: 'notes-heading' }, t('notes.title')),
      h('p', { class: 'hint' }, t('notes.lead')),
      result,
      sorted.length === 0
        ? h('p', { class: 'body', id: 'notes-empty' }, t('notes.empty'))
        : h(
            'ol',
            { class: 'notes', id: 'notes-list' },
            sorted.map((note) =>
              h(
                'li',
                { class: 'notes__item' },
                h(
                  'p',
                  { class: 'notes__meta' },
                  h('time', { datetime: note.at }, formatDateTime(note.at)),
                  ' – ',
                  t('notes.by', { author: note.author.name, team: teamName(note.team) }),
                ),
                h('p', { class: 'notes__text pre-line' }, note.text),
              ),
            ),
          ),
      form,
    );
  }

  function draw() {
    if (!body) return;
    if (heading && heading.textContent !== title()) heading.textContent = title();
    // The title says "Error:" while a form on the page shows errors.
    context.updateTitle();
    const parts: Child[] = [];
    if (failure === 'outage')
      parts.push(notice('warning', t('casePage.outageTitle'), h('p', null, t('casePage.outage'))));
    if (failure === 'notFound')
      parts.push(notice('warning', t('casePage.notFoundTitle'), h('p', null, t('casePage.notFound'))));
    if (failure === 'signedOut') parts.push(signedOutNotice());
    if (failure === 'consentWithdrawn') {
      parts.push(
        h('p', { class: 'body' }, t('casePage.withdrawnBody')),
        h('p', { class: 'body' }, t('casePage.withdrawnDelete')),
        h('p', { class: 'body' }, h('a', { href: '/app/cases' }, t('casePage.back'))),
      );
    }
    const result = h('div', { id: 'action-result', tabindex: '-1', role: 'status' });
    if (done) result.append(notice('success', t('caseActions.done'), h('p', null, done)));
    if (actionProblem) {
      const key = {
        outage: 'caseActions.outage',
        conflict: 'caseActions.conflict',
        general: 'caseActions.failed',
      } as const;
      result.append(notice('warning', t('caseActions.problemTitle'), h('p', null, t(key[actionProblem]))));
    }
    parts.push(result);
    if (left) {
      result.append(
        h('p', { class: 'body' }, t('caseActions.left')),
        h('p', null, h('a', { href: '/app/cases' }, t('casePage.back'))),
      );
      replaceChildren(body, parts);
      result.focus();
      return;
    }
    if (!view) {
      if (!failure) parts.push(h('p', { class: 'body' }, t('app.loading')));
      replaceChildren(body, parts);
      focusNow();
      return;
    }
    // A team that declined or lost the client's consent has left the case: nothing for it to do.
    const own = view.assignments.filter(
      (assignment) =>
        myTeams.includes(assignment.team) &&
        assignment.state !== 'declined' &&
        assignment.state !== 'withdrawn',
    );
    parts.push(
      h(
        'p',
        { class: 'status-line' },
        statusTag(view.status),
        ' ',
        h('span', null, statusExplanation(view.status, view.history)),
      ),
      summaryList([
        [
          t('referral.caseReference'),
          h('span', { class: 'reference', id: 'case-reference' }, view.reference ?? view.caseId),
        ],
        [t('casePage.createdAt'), formatDateTime(view.createdAt)],
        [t('casePage.updatedAt'), formatDateTime(view.updatedAt)],
      ]),
      own.map(actions),
      personSection(view.person),
      referralsSection(view.referrals),
      screeningSection(view.screening, 'h2', view.history),
      assignmentsSection(view.assignments),
      notesSection(view.notes ?? []),
      historySection(view.history, {
        referrals: view.referrals,
        municipalityName: context.config.municipality.name,
      }),
    );
    replaceChildren(body, parts);
    focusNow();
  }

  function focusNow() {
    if (!focusTarget) return;
    const target = document.querySelector<HTMLElement>(focusTarget);
    focusTarget = undefined;
    if (target?.tagName === 'H1') target.setAttribute('tabindex', '-1');
    target?.focus();
  }

  void load();
  return {
    title,
    hasErrors: () =>
      [...drafts.values()].some((draft) => draft.errors.length > 0) ||
      [...handOver.values()].some((entry) => entry.error !== undefined) ||
      journal.error !== undefined,
    render() {
      body = h('div');
      heading = h('h1', { class: 'heading-l' }, title());
      draw();
      return h(
        'div',
        null,
        h('p', { class: 'no-print' }, h('a', { href: '/app/cases', class: 'back-link' }, t('casePage.back'))),
        heading,
        body,
      );
    },
  };
}
