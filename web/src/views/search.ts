import { classifySearch } from '../../../shared/cases/search.js';
import { type ApiOutcome, api, isOutage } from '../api.js';
import { dataTable, notice, signedOutNotice } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { personName, teamName } from '../names.js';
import type { View, ViewContext } from '../view.js';
import { statusTag } from './screening.js';
import type { WorkItem } from './work-list.js';

type ReferralHit = {
  referralId: string;
  caseId: string;
  reference?: string;
  submittedAt: string;
  status: string;
  person?: { givenName?: string; familyName?: string };
};
type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * The header's search (CONTRACT.md v1.1, "Case reference and search"). A case reference or an
 * identity number finds exactly one case: the page goes straight to it (an officer's to the
 * referral). Any other text is the start of a name: the matching cases of the caller's own work
 * lists (an officer's: the agency's referrals) are listed.
 */
export function searchView(context: ViewContext): View {
  const q = (context.query.get('q') ?? '').trim();
  const session = context.session;
  // Officers search their agency's referrals; team members, the front desk and admins search cases.
  const officer = Boolean(session?.agency) && !session?.admin && (session?.teams.length ?? 0) === 0;
  const kind = q ? classifySearch(q, new Date()).kind : 'name';
  let cases: WorkItem[] | undefined;
  let referrals: ReferralHit[] | undefined;
  let failure: 'outage' | 'signedOut' | 'other' | undefined;
  let disposed = false;
  let body: HTMLElement | undefined;

  const failed = (outcome: ApiOutcome<unknown>) =>
    isOutage(outcome)
      ? 'outage'
      : outcome.kind === 'problem' && outcome.status === 401
        ? 'signedOut'
        : 'other';

  async function searchReferrals() {
    const outcome = await api<Page<ReferralHit>>(`/referrals?${new URLSearchParams({ q, limit: '50' })}`);
    if (disposed) return;
    if (outcome.kind !== 'ok') {
      failure = failed(outcome);
      return;
    }
    referrals = outcome.data.items;
    // A reference or number names one case: go to its (newest) referral.
    const first = referrals[0];
    if (kind !== 'name' && first && referrals.every((item) => item.caseId === first.caseId)) {
      context.navigate(`/app/referrals/${encodeURIComponent(first.referralId)}`, { replace: true });
    }
  }

  async function searchCases() {
    // A name is looked up in each of the caller's own work lists (an admin's: every team's).
    const teams =
      kind !== 'name' ? [undefined] : session?.teams.length ? session.teams : context.config.teams;
    const outcomes = await Promise.all(
      teams.map((team) => {
        const query = new URLSearchParams({ q, limit: '50' });
        if (team) query.set('team', team);
        return api<Page<WorkItem>>(`/cases?${query}`);
      }),
    );
    if (disposed) return;
    const found = new Map<string, WorkItem>();
    for (const outcome of outcomes) {
      if (outcome.kind !== 'ok') {
        failure = failed(outcome);
        return;
      }
      for (const item of outcome.data.items) if (!found.has(item.caseId)) found.set(item.caseId, item);
    }
    cases = [...found.values()];
    const only = cases[0];
    if (kind !== 'name' && only && cases.length === 1) {
      context.navigate(`/app/cases/${encodeURIComponent(only.caseId)}`, { replace: true });
    }
  }

  const link = (href: string, text: string) => h('a', { href }, text);

  function caseTable(items: WorkItem[]) {
    return dataTable(
      t('search.resultsCaption', { q }),
      [
        t('workList.columns.person'),
        t('workList.columns.reference'),
        t('search.team'),
        t('workList.columns.status'),
      ],
      items.map((item) => [
        link(
          `/app/cases/${encodeURIComponent(item.caseId)}`,
          personName(item.person) || t('workList.unnamed'),
        ),
        h('span', { class: 'reference' }, item.reference ?? ''),
        teamName(item.team),
        statusTag(item.status),
      ]),
    );
  }

  function referralTable(items: ReferralHit[]) {
    return dataTable(
      t('search.resultsCaption', { q }),
      [
        t('referrals.columns.person'),
        t('referrals.columns.reference'),
        t('referrals.columns.submitted'),
        t('referrals.columns.status'),
      ],
      items.map((item) => [
        link(
          `/app/referrals/${encodeURIComponent(item.referralId)}`,
          personName(item.person) || t('workList.unnamed'),
        ),
        h('span', { class: 'reference' }, item.reference ?? ''),
        formatDateTime(item.submittedAt),
        statusTag(item.status),
      ]),
    );
  }

  function draw() {
    if (!body) return;
    const parts: Node[] = [];
    if (!q) {
      parts.push(h('p', { class: 'body' }, t('search.empty')));
      return replaceChildren(body, parts);
    }
    if (failure === 'signedOut') parts.push(signedOutNotice());
    else if (failure) {
      parts.push(
        notice(
          'warning',
          t('search.failedTitle'),
          h('p', null, t(failure === 'outage' ? 'search.outage' : 'search.failed')),
        ),
      );
    }
    const results = officer ? referrals : cases;
    if (!results && !failure) parts.push(h('p', { class: 'body' }, t('app.loading')));
    if (results) {
      const count = results.length;
      parts.push(
        h(
          'p',
          { class: 'body', role: 'status', id: 'search-result' },
          count === 0
            ? t(kind === 'name' ? 'search.noneByName' : 'search.noneExact', { q })
            : t(count === 1 ? 'search.countOne' : 'search.countMany', { count, q }),
        ),
      );
      if (count > 0) {
        parts.push(officer ? referralTable(referrals ?? []) : caseTable(cases ?? []));
      }
      if (count === 0)
        parts.push(h('p', { class: 'hint' }, t(officer ? 'search.tipReferrals' : 'search.tip')));
    }
    replaceChildren(body, parts);
  }

  if (q) {
    void (officer ? searchReferrals() : searchCases()).then(() => draw());
  }

  return {
    title: () => (q ? t('search.titleWithQuery', { q }) : t('search.title')),
    render() {
      body = h('div');
      draw();
      return h('div', null, h('h1', { class: 'heading-l' }, t('search.title')), body);
    },
    dispose() {
      disposed = true;
    },
  };
}
