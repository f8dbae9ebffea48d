import { apiConditional, isOutage } from '../api.js';
import { notice, signedOutNotice, summaryList } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, t, tOptional } from '../i18n.js';
import type { View, ViewContext } from '../view.js';
import {
  type HistoryStep,
  historySection,
  referrerName,
  type Screening,
  screeningSection,
  statusExplanation,
  statusTag,
} from './screening.js';

type ReferralView = {
  referralId: string;
  caseId: string;
  /** FD-2026-00042: how people name the case. */
  reference?: string;
  agency: string;
  submittedAt: string;
  status: string;
  screening: Screening | null;
  history: HistoryStep[];
};

/**
 * How often the page asks for news: every 2 s at first, then less often while nothing changes (up
 * to every 30 s), and at once again after a change. A closed case has none to give; a hidden tab
 * asks for nothing and asks at once when it is shown again.
 */
const POLL_MS = 2000;
const POLL_MAX_MS = 30_000;
const POLL_AFTER_FAILURE_MS = 5000;
const BACK_OFF = 1.5;

/**
 * The receipt right after a submit (the case reference), then the referral's live status: polls
 * GET /referrals/{id} every two seconds until the case is closed, and says each change out loud
 * (politely) to screen readers.
 */
export function referralStatusView(context: ViewContext): View {
  const referralId = context.params[0] ?? '';
  const received = context.query.get('received') === '1';
  const attached = context.query.get('attached') === '1';
  let referral: ReferralView | undefined;
  let failure: 'outage' | 'notFound' | 'signedOut' | undefined;
  let lastChecked: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let body: HTMLElement | undefined;
  let announcer: HTMLElement | undefined;
  let next: HTMLElement | undefined;
  let caseReference: HTMLElement | undefined;
  let lastAnnounced: string | undefined;
  /** The ETag of the referral shown: the API answers 304 (not audited) while it is unchanged. */
  let etag: string | undefined;
  let delay = POLL_MS;
  let polling = false;

  function announce() {
    if (!referral || !announcer) return;
    const key = `${referral.status}:${referral.history.length}`;
    if (lastAnnounced !== undefined && lastAnnounced !== key) {
      announcer.textContent = t('referral.changed', {
        status: tOptional(`status.${referral.status}.label`) ?? referral.status,
      });
    }
    lastAnnounced = key;
  }

  const finished = () =>
    stopped || referral?.status === 'CLOSED' || failure === 'notFound' || failure === 'signedOut';

  function schedule(wait: number) {
    clearTimeout(timer);
    timer = undefined;
    if (finished() || document.visibilityState === 'hidden') return;
    timer = setTimeout(() => void poll(), wait);
  }

  async function poll() {
    if (polling) return;
    polling = true;
    const outcome = await apiConditional<ReferralView>(`/referrals/${encodeURIComponent(referralId)}`, etag);
    polling = false;
    if (stopped) return;
    if (outcome.kind === 'not-modified') {
      // Nothing new: ask less often, up to every 30 s.
      delay = Math.min(POLL_MAX_MS, Math.round(delay * BACK_OFF));
      failure = undefined;
      lastChecked = new Date().toISOString();
      draw();
      return schedule(delay);
    }
    if (outcome.kind === 'ok') {
      const changed =
        outcome.data.status !== referral?.status || outcome.data.history.length !== referral?.history.length;
      referral = outcome.data;
      etag = outcome.etag;
      failure = undefined;
      lastChecked = new Date().toISOString();
      delay = changed ? POLL_MS : Math.min(POLL_MAX_MS, Math.round(delay * BACK_OFF));
    } else if (isOutage(outcome)) {
      failure = 'outage';
      delay = Math.min(POLL_MAX_MS, Math.max(POLL_AFTER_FAILURE_MS, delay * 2));
    } else {
      failure = outcome.kind === 'problem' && outcome.status === 401 ? 'signedOut' : 'notFound';
    }
    draw();
    announce();
    schedule(delay);
  }

  /** A hidden tab stops asking; shown again, it asks at once and then every 2 s again. */
  function onVisibilityChange() {
    if (document.visibilityState === 'hidden') {
      clearTimeout(timer);
      timer = undefined;
    } else if (!finished() && !polling) {
      delay = POLL_MS;
      void poll();
    }
  }
  document.addEventListener('visibilitychange', onVisibilityChange);

  function draw() {
    if (!body) return;
    const parts: Node[] = [];
    if (failure === 'outage') {
      parts.push(notice('warning', t('referral.outageTitle'), h('p', null, t('referral.outage'))));
    }
    if (failure === 'notFound') {
      parts.push(notice('warning', t('referral.notFoundTitle'), h('p', null, t('referral.notFound'))));
    }
    if (failure === 'signedOut') parts.push(signedOutNotice());
    if (!referral) {
      if (!failure) parts.push(h('p', { class: 'body' }, t('app.loading')));
      replaceChildren(body, parts);
      return;
    }
    const closed = referral.status === 'CLOSED';
    parts.push(
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'status-heading' },
        h('h2', { class: 'heading-m', id: 'status-heading' }, t('referral.statusTitle')),
        h(
          'p',
          { class: 'status-line' },
          statusTag(referral.status),
          ' ',
          h('span', { id: 'status-explanation' }, statusExplanation(referral.status, referral.history)),
        ),
        h(
          'p',
          { class: 'hint' },
          closed
            ? t('referral.closedNote')
            : t('referral.liveNote', { time: lastChecked ? formatDateTime(lastChecked) : '' }),
        ),
        summaryList([
          [
            t('referral.caseReference'),
            h('span', { class: 'reference' }, referral.reference ?? referral.caseId),
          ],
          [t('referral.referralReference'), h('span', { class: 'reference' }, referral.referralId)],
          [t('referral.agency'), referrerName(referral.agency, context.config.municipality.name)],
          [t('referral.submittedAt'), formatDateTime(referral.submittedAt)],
        ]),
      ),
      screeningSection(referral.screening, 'h2', referral.history),
      historySection(referral.history),
    );
    replaceChildren(body, parts);
    // The receipt names the case by its reference (FD-2026-00042) as soon as the first answer has it.
    if (caseReference && referral.reference) caseReference.textContent = referral.reference;
    // "Being screened now" only while it is: after routing the receipt says it was screened.
    if (next) next.textContent = receiptNext();
  }

  const receiptNext = () =>
    !referral || referral.status === 'RECEIVED'
      ? t('referral.receiptNext')
      : t('referral.receiptNextScreened');

  return {
    title: () => (received ? t('referral.receiptTitle') : t('referral.title')),
    render() {
      body = h('div');
      next = received ? h('p', { class: 'body', id: 'receipt-next' }, receiptNext()) : undefined;
      caseReference = h(
        'strong',
        { class: 'reference', id: 'case-reference' },
        referral?.reference ?? context.query.get('case') ?? referral?.caseId ?? '',
      );
      announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'status-announcer' });
      if (!timer && !referral && !stopped) void poll();
      draw();
      return h(
        'div',
        null,
        received
          ? h(
              'div',
              { class: 'panel' },
              h('h1', { class: 'panel__title' }, t('referral.receiptTitle')),
              h('div', { class: 'panel__body' }, t('referral.receiptCaseReference'), h('br'), caseReference),
            )
          : h('h1', { class: 'heading-l' }, t('referral.title')),
        next,
        received && attached ? h('p', { class: 'body' }, t('referral.attached')) : null,
        announcer,
        body,
        h(
          'ul',
          { class: 'link-list' },
          h('li', null, h('a', { href: '/app/referrals/new' }, t('referral.newReferral'))),
          h('li', null, h('a', { href: '/app/referrals' }, t('nav.referrals'))),
        ),
      );
    },
    dispose() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    },
  };
}
