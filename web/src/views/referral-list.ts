import { button } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { agencyName, personName } from '../names.js';
import { pagedList } from '../paged-list.js';
import type { View, ViewContext } from '../view.js';
import { statusTag } from './screening.js';

type Summary = {
  referralId: string;
  caseId: string;
  /** The case reference (FD-2026-00042); left out only while the case cannot be read. */
  reference?: string;
  agency: string;
  submittedAt: string;
  status: string;
  updatedAt: string;
  /** The name as this referral gave it (the agency's own data), so that officers can tell referrals apart. */
  person?: { givenName?: string; familyName?: string };
};

/** The case statuses a referral can have, for the filter; '' is every referral. */
export const REFERRAL_STATUSES = ['', 'RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED'] as const;

/**
 * My agency's referrals, newest first (GET /referrals, with `q` a search): the person's name, the
 * case reference, the status and the dates. The status filter applies to the rows loaded so far:
 * the API lists by date only.
 */
export function referralListView(context: ViewContext): View {
  let body: HTMLElement | undefined;
  const agency = context.session?.agency;
  const q = (context.query.get('q') ?? '').trim();
  const requestedStatus = context.query.get('status') ?? '';
  const status = (REFERRAL_STATUSES as readonly string[]).includes(requestedStatus) ? requestedStatus : '';

  const list = pagedList<Summary>(
    (cursor) => {
      const query = new URLSearchParams({ limit: q ? '50' : '20' });
      if (q) query.set('q', q);
      if (cursor) query.set('cursor', cursor);
      return `/referrals?${query}`;
    },
    { draw: () => draw(), rows: () => body },
  );

  function draw() {
    if (!body) return;
    const parts = list.state({
      outageTitle: 'referrals.outageTitle',
      outage: 'referrals.outage',
      failedTitle: 'referrals.failedTitle',
      failed: 'referrals.failed',
      empty: q ? 'referrals.noMatch' : 'referrals.empty',
    });
    const shown = status ? list.items.filter((item) => item.status === status) : [...list.items];
    if (q && list.items.length > 0) {
      parts.push(
        h(
          'p',
          { class: 'body', role: 'status' },
          t(list.items.length === 1 ? 'referrals.foundOne' : 'referrals.foundMany', {
            count: list.items.length,
            q,
          }),
        ),
      );
    }
    if (list.items.length > 0 && shown.length === 0) {
      parts.push(h('p', { class: 'body' }, t('referrals.noneWithStatus')));
    }
    if (shown.length > 0) {
      parts.push(
        h(
          'div',
          { class: 'table-wrapper' },
          h(
            'table',
            { class: 'table' },
            h('caption', { class: 'visually-hidden' }, t('referrals.caption')),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, t('referrals.columns.person')),
                h('th', { scope: 'col' }, t('referrals.columns.reference')),
                h('th', { scope: 'col' }, t('referrals.columns.status')),
                h('th', { scope: 'col' }, t('referrals.columns.submittedAt')),
                h('th', { scope: 'col' }, t('referrals.columns.updated')),
              ),
            ),
            h(
              'tbody',
              null,
              shown.map((item) =>
                h(
                  'tr',
                  null,
                  h(
                    'td',
                    null,
                    h(
                      'a',
                      { href: `/app/referrals/${encodeURIComponent(item.referralId)}` },
                      personName(item.person) ||
                        t('referrals.open', { submitted: formatDateTime(item.submittedAt) }),
                    ),
                  ),
                  h('td', null, h('span', { class: 'reference' }, item.reference ?? '')),
                  h('td', null, statusTag(item.status)),
                  h('td', null, formatDateTime(item.submittedAt)),
                  h('td', null, formatDateTime(item.updatedAt)),
                ),
              ),
            ),
          ),
        ),
      );
    }
    const more = list.more(t('referrals.more'));
    if (more) parts.push(more);
    replaceChildren(body, parts);
  }

  function filters(): HTMLElement {
    const input = h('input', {
      class: 'input input--w20',
      id: 'referrals-q',
      name: 'q',
      type: 'search',
      value: q,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'referrals-q-hint',
    });
    const statusSelect = h(
      'select',
      { class: 'select', id: 'referrals-status', name: 'status' },
      REFERRAL_STATUSES.map((value) =>
        h(
          'option',
          { value, selected: value === status },
          value ? t(`status.${value}.label`) : t('referrals.allStatuses'),
        ),
      ),
    );
    const form = h(
      'form',
      { class: 'filters no-print', role: 'search', 'aria-label': t('referrals.filters') },
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'referrals-q' }, t('referrals.search')),
        h('div', { class: 'hint', id: 'referrals-q-hint' }, t('referrals.searchHint')),
        input,
      ),
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'referrals-status' }, t('referrals.status')),
        statusSelect,
      ),
      h('div', { class: 'form-group' }, button(t('referrals.show'), { secondary: true })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      if (input.value.trim()) query.set('q', input.value.trim());
      if (statusSelect.value) query.set('status', statusSelect.value);
      const search = query.toString();
      context.navigate(`/app/referrals${search ? `?${search}` : ''}`);
    });
    return form;
  }

  void list.load();
  return {
    title: () => (q ? t('referrals.titleSearch', { q }) : t('referrals.title')),
    render() {
      body = h('div');
      draw();
      return h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, t('referrals.title')),
        h(
          'p',
          { class: 'lead' },
          agency ? t('referrals.lead', { agency: agencyName(agency) }) : t('referrals.leadAll'),
        ),
        filters(),
        body,
        h('p', { class: 'body' }, h('a', { href: '/app/referrals/new' }, t('referral.newReferral'))),
      );
    },
  };
}
