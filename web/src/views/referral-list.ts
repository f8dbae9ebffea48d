import { api, isOutage } from '../api.js';
import type { View, ViewContext } from '../app.js';
import { button, listState } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { agencyName } from '../names.js';
import { statusTag } from './screening.js';

type Summary = {
  referralId: string;
  caseId: string;
  agency: string;
  submittedAt: string;
  status: string;
  updatedAt: string;
};
type Page = { items: Summary[]; nextCursor: string | null };

/** My agency's referrals, newest first, with status and last change (GET /referrals). */
export function referralListView(context: ViewContext): View {
  const items: Summary[] = [];
  let nextCursor: string | null = null;
  let loaded = false;
  let failure: 'outage' | 'other' | undefined;
  let loading = false;
  let body: HTMLElement | undefined;
  const agency = context.session?.agency;

  async function load(cursor?: string) {
    loading = true;
    const query = new URLSearchParams({ limit: '20' });
    if (cursor) query.set('cursor', cursor);
    const outcome = await api<Page>(`/referrals?${query}`);
    loading = false;
    loaded = true;
    if (outcome.kind === 'ok') {
      const focusIndex = items.length;
      items.push(...outcome.data.items);
      nextCursor = outcome.data.nextCursor;
      failure = undefined;
      draw();
      // After "show more", continue at the first new row.
      if (cursor) body?.querySelectorAll<HTMLElement>('tbody a')[focusIndex]?.focus();
    } else {
      failure = isOutage(outcome) ? 'outage' : 'other';
      draw();
    }
  }

  function draw() {
    if (!body) return;
    const parts = listState(
      { failure, loaded, empty: items.length === 0 },
      {
        outageTitle: 'referrals.outageTitle',
        outage: 'referrals.outage',
        failedTitle: 'referrals.failedTitle',
        failed: 'referrals.failed',
        empty: 'referrals.empty',
      },
    );
    if (items.length > 0) {
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
                h('th', { scope: 'col' }, t('referrals.columns.submitted')),
                h('th', { scope: 'col' }, t('referrals.columns.status')),
                h('th', { scope: 'col' }, t('referrals.columns.updated')),
              ),
            ),
            h(
              'tbody',
              null,
              items.map((item) =>
                h(
                  'tr',
                  null,
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
    if (nextCursor) {
      const cursor = nextCursor;
      parts.push(
        button(t('referrals.more'), {
          type: 'button',
          secondary: true,
          onClick: () => {
            if (!loading) void load(cursor);
          },
        }),
      );
    }
    replaceChildren(body, parts);
  }

  void load();
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
