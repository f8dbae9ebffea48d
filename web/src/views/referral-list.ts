import type { View, ViewContext } from '../app.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { agencyName } from '../names.js';
import { pagedList } from '../paged-list.js';
import { statusTag } from './screening.js';

type Summary = {
  referralId: string;
  caseId: string;
  agency: string;
  submittedAt: string;
  status: string;
  updatedAt: string;
  /** The name as this referral gave it (the agency's own data), so that officers can tell referrals apart. */
  person?: { givenName?: string; familyName?: string };
};

const personName = (item: Summary) =>
  [item.person?.givenName, item.person?.familyName].filter(Boolean).join(' ');

/** My agency's referrals, newest first, with status and last change (GET /referrals). */
export function referralListView(context: ViewContext): View {
  let body: HTMLElement | undefined;
  const agency = context.session?.agency;

  const list = pagedList<Summary>(
    (cursor) => {
      const query = new URLSearchParams({ limit: '20' });
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
      empty: 'referrals.empty',
    });
    if (list.items.length > 0) {
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
                h('th', { scope: 'col' }, t('referrals.columns.submitted')),
                h('th', { scope: 'col' }, t('referrals.columns.status')),
                h('th', { scope: 'col' }, t('referrals.columns.updated')),
              ),
            ),
            h(
              'tbody',
              null,
              list.items.map((item) =>
                h(
                  'tr',
                  null,
                  h('td', null, personName(item)),
                  h(
                    'td',
                    null,
                    h(
                      'a',
                      { href: `/app/referrals/${encodeURIComponent(item.referralId)}` },
                      t('referrals.open', { submitted: formatDateTime(item.submittedAt) }),
                    ),
                  ),
                  h('td', null, statusTag(item.status)),
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

  void list.load();
  return {
    title: () => t('referrals.title'),
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
        body,
        h('p', { class: 'body' }, h('a', { href: '/app/referrals/new' }, t('referral.newReferral'))),
      );
    },
  };
}
