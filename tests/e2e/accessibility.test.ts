import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime.js';
import { type AxeViolation, axeViolations, newPage, signIn, useStackAndBrowser } from '../helpers/browser.js';
import { referralBody } from '../helpers/referrals.js';

const LANGS = ['sv', 'en'] as const;
type Lang = (typeof LANGS)[number];

/**
 * axe-core on every page of the web app, in Swedish and in English: zero violations at WCAG 2.0 and
 * 2.1, levels A and AA. Plus reflow: no sideways scrolling at 320 px, nor at 200 % zoom of 1280 px.
 */
describe('the web app is accessible', () => {
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let referralId: string;
  let caseId: string;

  const started = useStackAndBrowser();
  beforeAll(async () => {
    ({ stack, browser } = started);
    // A routed referral to show on the status, list, work list and case pages.
    const token = await stack.issueToken('employment-officer');
    const response = await fetch(`${stack.url}/referrals`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(referralBody('employment-service')),
    });
    ({ referralId, caseId } = (await response.json()) as { referralId: string; caseId: string });
    for (let tries = 0; tries < 100; tries++) {
      const view = await fetch(`${stack.url}/referrals/${referralId}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (((await view.json()) as { status: string }).status === 'ROUTED') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterEach(async () => {
    await context?.close();
  });

  const describeViolations = (violations: AxeViolation[]) =>
    violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );

  /** Opens a page as a user (or signed out), waits for it to settle, and runs axe on it. */
  async function check(
    lang: Lang,
    path: string,
    options: { user?: string; ready: string; act?: (page: Page) => Promise<void> },
  ) {
    ({ context, page } = await newPage(browser, { lang }));
    if (options.user) await signIn(page, stack.url, options.user, path);
    else await page.goto(`${stack.url}${path}`);
    await page.locator(options.ready).first().waitFor();
    await options.act?.(page);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(describeViolations(await axeViolations(page))).toEqual([]);
  }

  for (const lang of LANGS) {
    describe(`in ${lang === 'sv' ? 'Swedish' : 'English'}`, () => {
      it('has no violations on the sign-in page', () =>
        check(lang, '/app/sign-in', { ready: 'button[data-user]' }));

      it('has no violations on the accessibility statement', () =>
        check(lang, '/app/accessibility', { ready: 'a[href^="mailto:"]' }));

      it('has no violations on a page that does not exist', () =>
        check(lang, '/app/no-such-page', { ready: 'main h1' }));

      it('has no violations on the empty referral form', () =>
        check(lang, '/app/referrals/new', { user: 'municipality-officer', ready: '#submit-referral' }));

      it('has no violations on the referral form showing errors', () =>
        check(lang, '/app/referrals/new', {
          user: 'insurance-officer',
          ready: '#submit-referral',
          act: async (page) => {
            await page.locator('#f-person-personalIdentityNumber').fill('19901211-9947');
            await page.locator('#submit-referral').click();
            await page.locator('#error-summary').waitFor();
          },
        }));

      it('has no violations on the receipt with the live status', () =>
        check(lang, `/app/referrals/${referralId}?received=1&case=${caseId}`, {
          user: 'employment-officer',
          ready: '#screening-heading + p',
        }));

      it("has no violations on the list of the agency's referrals", () =>
        check(lang, '/app/referrals', { user: 'employment-officer', ready: 'table tbody a' }));

      it('has no violations on the work list', () =>
        check(lang, '/app/cases', { user: 'employment-service-team', ready: 'main .table, main .notice' }));

      it('has no violations on the case page', () =>
        check(lang, `/app/cases/${caseId}`, {
          user: 'employment-service-team',
          ready: 'main .status-line, main .notice',
        }));

      it('has no violations on the search results', () =>
        check(lang, '/app/search?q=Anna', { user: 'employment-service-team', ready: '#search-result' }));

      it("has no violations on an officer's search that finds nothing", () =>
        check(lang, '/app/search?q=Ingenalls', { user: 'employment-officer', ready: '#search-result' }));

      it('has no violations on the referrals searched and filtered by status', () =>
        check(lang, '/app/referrals?q=Anna&status=ROUTED', {
          user: 'employment-officer',
          ready: 'table tbody a',
        }));

      it("has no violations on the front desk's work list, filtered and sorted", () =>
        check(lang, '/app/cases?team=front-desk&targetGroup=TG1&sort=waiting', {
          user: 'front-desk-coordinator',
          ready: 'main .table, main p:not(.lead)',
        }));

      it('has no violations on my cases', () =>
        check(lang, '/app/cases?assignee=me', { user: 'employment-service-team', ready: 'main h1' }));

      it('has no violations on the case page with errors in the note and the assignment', () =>
        check(lang, `/app/cases/${caseId}`, {
          user: 'employment-service-team',
          ready: '#note-save',
          act: async (page) => {
            await page.locator('#note-save').click();
            await page.locator('#error-summary').waitFor();
            await page.locator('form:has(#assign-employment-service-user) button').click();
            await page.locator('#assign-employment-service-user-error').waitFor();
          },
        }));

      it('has no violations on the case page asking to confirm a decline', () =>
        check(lang, `/app/cases/${caseId}`, {
          user: 'employment-service-team',
          ready: '#action-employment-service-reason',
          act: async (page) => {
            await page.locator('#action-employment-service-reason').fill('Ett skäl.');
            await page.locator('form:has(#action-employment-service-reason) button').click();
            await page.locator('#decline-employment-service-confirmation').waitFor();
          },
        }));

      it('has no violations on the page that says a role may not submit referrals', () =>
        check(lang, '/app/referrals/new', { user: 'partner-team', ready: 'main h1' }));
    });
  }

  it('finds a violation when there is one (the check itself works)', async () => {
    ({ context, page } = await newPage(browser));
    await page.goto(`${stack.url}/app/accessibility`);
    await page.locator('main h1').waitFor();
    await page.evaluate(
      "document.querySelector('main').append(Object.assign(document.createElement('img'), { src: 'data:,' }))",
    );

    expect((await axeViolations(page)).map((violation) => violation.id)).toContain('image-alt');
  });

  it('reflows the staff pages without sideways scrolling at 320 px', async () => {
    ({ context, page } = await newPage(browser, { width: 320, height: 700 }));
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await signIn(page, stack.url, 'front-desk-coordinator', '/app/cases?team=employment-service');
    await page.locator('main .table, main .notice').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${stack.url}/app/cases/${caseId}`);
    await page.locator('#notes-heading').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${stack.url}/app/search?q=Anna`);
    await page.locator('#search-result').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });

  for (const width of [320, 640]) {
    it(`reflows without sideways scrolling at ${width} px (${width === 320 ? 'a small phone' : '200 % zoom'})`, async () => {
      ({ context, page } = await newPage(browser, { width, height: 700 }));
      const overflow = () =>
        page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      await signIn(page, stack.url, 'employment-officer', '/app/referrals/new');
      await page.locator('#submit-referral').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.locator('#submit-referral').click();
      await page.locator('#error-summary').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.goto(`${stack.url}/app/referrals/${referralId}?received=1&case=${caseId}`);
      await page.locator('#screening-heading + p').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
    });
  }
});
