import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime.js';
import type { Agency } from '../../shared/config/deployment.js';
import { swedishDateOf } from '../../shared/time.js';
import {
  fillReferral,
  focusedId,
  newPage,
  OFFICER_OF,
  signIn,
  useStackAndBrowser,
} from '../helpers/browser.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';

/**
 * The referral form in a real browser (Debian's Chromium driven by playwright-core) against the whole
 * local stack: DynamoDB Local, fauxqs, the real functions, and the web app npm start serves.
 */
describe('the referral form', () => {
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const started = useStackAndBrowser();
  beforeAll(async () => {
    ({ stack, browser } = started);
  });

  afterEach(async () => {
    await context?.close();
  });

  const open = async (user: string, options: { lang?: 'sv' | 'en' } = {}) => {
    ({ context, page } = await newPage(browser, options));
    await signIn(page, stack.url, user, '/app/referrals/new');
    await page.locator('h1', { hasText: options.lang === 'en' ? 'New referral' : 'Ny remiss' }).waitFor();
  };

  /** The agency's referrals as the API lists them (to count what a submit created). */
  const referralIds = async (user: string): Promise<string[]> => {
    const token = await stack.issueToken(user);
    const response = await fetch(`${stack.url}/referrals?limit=100`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { items: { referralId: string }[] };
    return body.items.map((item) => item.referralId);
  };

  const routedTo: Record<Agency, string[]> = {
    municipality: ['Kommunens arbetsmarknadsenhet'],
    'employment-service': ['Arbetsförmedlingens team', 'Front Desk (samordning och gemensam bedömning)'],
    'social-insurance': ['Försäkringskassans team'],
  };

  for (const agency of ['municipality', 'employment-service', 'social-insurance'] as const) {
    it(`lets an officer of ${agency} submit a referral and see it routed`, async () => {
      await open(OFFICER_OF[agency]);
      await fillReferral(page, agency, { identityNumber: uniqueIdentityNumber() });

      await page.locator('#submit-referral').click();

      await page.waitForURL(/\/app\/referrals\/[^/?]+\?received=1/);
      await page.locator('h1', { hasText: 'Remissen är mottagen' }).waitFor();
      await page.locator('.status-line .tag', { hasText: 'Skickad till team' }).waitFor({ timeout: 20_000 });
      // The receipt names the case by its reference, for the officer to read out on the phone.
      expect(await page.locator('#case-reference').textContent()).toMatch(/^FD-\d{4}-\d{5}$/);
      const routes = page.locator('.summary-list__row', { hasText: 'Skickad till' }).locator('li');
      expect((await routes.allTextContents()).sort()).toEqual([...routedTo[agency]].sort());
      expect(await page.locator('.timeline__text').first().textContent()).toBe('Remissen togs emot');
    });
  }

  it("shows the officer's agency's required situation fields as required and the rest as optional", async () => {
    await open('municipality-officer');

    const label = (id: string) => page.locator(`label[for="${id}"]`).textContent();
    expect(await label('f-situation-financialAssistanceMonths')).not.toContain('(frivilligt)');
    expect(await label('f-situation-unemployedMonths')).toContain('(frivilligt)');
    expect(await label('f-situation-sickLeaveMonths')).toContain('(frivilligt)');
    expect(await page.locator('#situation-heading + p').textContent()).toContain('kommunen');
  });

  it('checks the identity number as it is typed and explains a wrong one in the field and the summary', async () => {
    await open('employment-officer');
    const input = page.locator('#f-person-personalIdentityNumber');
    const status = page.locator('#f-person-personalIdentityNumber-status');

    await input.pressSequentially('19901211-9947');
    await status.filter({ hasText: 'Personnumret stämmer inte' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('');
    await input.pressSequentially('901211-9948');
    await status.filter({ hasText: 'Giltigt personnummer' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    await input.fill('19901211-9947');
    await page.locator('#submit-referral').click();

    const summary = page.locator('#error-summary');
    await summary.waitFor();
    expect(await focusedId(page)).toBe('error-summary');
    expect(await page.title()).toMatch(/^Fel: Ny remiss/);
    const link = summary.locator('a', { hasText: 'Personnumret stämmer inte' });
    expect(await link.getAttribute('href')).toBe('#f-person-personalIdentityNumber');
    expect(await page.locator('#f-person-personalIdentityNumber-error').textContent()).toContain(
      'Personnumret stämmer inte. Kontrollera siffrorna, särskilt den sista',
    );
    await link.click();
    expect(await focusedId(page)).toBe('f-person-personalIdentityNumber');
  });

  it("shows the server's field errors in the field where they happened and in the summary", async () => {
    await open('employment-officer');
    await fillReferral(page, 'employment-service', { identityNumber: uniqueIdentityNumber() });
    await page.route('**/referrals', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:frontdesk:problem:validation-error',
          title: 'Invalid request',
          status: 400,
          detail: 'The referral is not valid: person.email.',
          errors: [{ path: 'person.email', message: 'Invalid email address' }],
        }),
      }),
    );

    await page.locator('#submit-referral').click();

    await page.locator('#error-summary a[href="#f-person-email"]').waitFor();
    expect(await page.locator('#f-person-email-error').textContent()).toContain('e-postadress i rätt format');
    expect(await page.locator('#f-person-givenName').inputValue()).toBe('Anna');
  });

  it('keeps what was typed when the connection is lost, and a resubmit creates one referral', async () => {
    await open('employment-officer');
    await fillReferral(page, 'employment-service', {
      identityNumber: uniqueIdentityNumber(),
      givenName: 'Linnea',
    });
    let firstAnswer: { referralId: string } | undefined;
    // The first submit reaches the API (which creates the referral), but the answer never arrives.
    await page.route('**/referrals', async (route) => {
      const response = await route.fetch();
      firstAnswer = (await response.json()) as { referralId: string };
      await route.abort('connectionreset');
    });

    await page.locator('#submit-referral').click();

    const problem = page.locator('#form-problem');
    await problem.filter({ hasText: 'Vi kunde inte skicka remissen' }).waitFor();
    expect(await focusedId(page)).toBe('form-problem');
    expect(await page.locator('#f-person-givenName').inputValue()).toBe('Linnea');
    expect(
      await page.locator('input[name="situation.jobAndDevelopmentGuarantee"][value="yes"]').isChecked(),
    ).toBe(true);
    expect(firstAnswer?.referralId).toBeTruthy();

    await page.unroute('**/referrals');
    await page.locator('#submit-referral').click();

    await page.waitForURL(/received=1/);
    expect(new URL(page.url()).pathname).toBe(`/app/referrals/${firstAnswer?.referralId}`);
  });

  it('keeps what was typed and says so calmly when the server fails', async () => {
    await open('insurance-officer');
    await fillReferral(page, 'social-insurance', {
      identityNumber: uniqueIdentityNumber(),
      givenName: 'Omar',
    });
    await page.route('**/referrals', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Bad Gateway',
          status: 502,
          detail: 'Try again.',
        }),
      }),
    );

    await page.locator('#submit-referral').click();

    await page.locator('#form-problem', { hasText: 'Något gick fel hos oss' }).waitFor();
    expect(await page.locator('#f-person-givenName').inputValue()).toBe('Omar');
    expect(await page.locator('#error-summary').count()).toBe(0);
  });

  it('creates one referral when the submit button is pressed twice', async () => {
    await open('municipality-officer');
    await fillReferral(page, 'municipality', { identityNumber: uniqueIdentityNumber() });
    const before = await referralIds('municipality-officer');

    await page.locator('#submit-referral').dblclick();

    await page.waitForURL(/received=1/);
    const after = await referralIds('municipality-officer');
    expect(after.length - before.length).toBe(1);
  });

  it('switches to English and back with one switch, keeping what was typed and remembering the choice', async () => {
    await open('employment-officer');
    await page.locator('#f-person-givenName').fill('Maja');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');

    await page.locator('#language-switch').click();

    await page.locator('h1', { hasText: 'New referral' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('label[for="f-person-givenName"]').textContent()).toBe('First name');
    expect(await page.locator('#f-person-givenName').inputValue()).toBe('Maja');
    expect(await focusedId(page)).toBe('language-switch');
    expect(await page.locator('#language-switch').textContent()).toBe('På svenska');
    expect(await page.locator('#language-switch').getAttribute('lang')).toBe('sv');
    expect(await page.title()).toBe('New referral – Front Desk – one way in');

    await page.reload();
    await page.locator('h1', { hasText: 'New referral' }).waitFor();
    await page.locator('#language-switch').click();
    await page.locator('h1', { hasText: 'Ny remiss' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
  });

  it('can be filled in and submitted with the keyboard alone (Tab, Space, Enter and typing)', async () => {
    ({ context, page } = await newPage(browser));
    await page.goto(`${stack.url}/app/`);
    const focused = () =>
      page.evaluate<string>(
        "[document.activeElement?.id ?? '', document.activeElement?.getAttribute('data-user') ?? ''].join('|')",
      );
    /** Presses Tab until the focused element matches `wanted` (id, data-user or value). */
    const tabTo = async (wanted: (focus: string) => boolean) => {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press('Tab');
        if (wanted(await focused())) return;
      }
      throw new Error('Tab never reached the element');
    };
    const idIs = (id: string) => (focus: string) => focus.split('|')[0] === id;

    await page.locator('button[data-user]').first().waitFor();
    await tabTo((focus) => focus.split('|')[1] === 'employment-officer');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Ny remiss' }).waitFor();

    await tabTo(idIs('f-person-personalIdentityNumber'));
    await page.keyboard.type(uniqueIdentityNumber());
    await tabTo(idIs('f-person-givenName'));
    await page.keyboard.type('Tove');
    await tabTo(idIs('f-person-familyName'));
    await page.keyboard.type('Tangentbord');
    await tabTo(idIs('f-consent-given'));
    await page.keyboard.press('Space');
    await tabTo(idIs('f-consent-recordedAt'));
    await page.keyboard.type(swedishDateOf(new Date()));
    await tabTo(idIs('f-situation-unemployedMonths'));
    await page.keyboard.type('14');
    await tabTo(idIs('f-situation-jobAndDevelopmentGuarantee')); // the first radio: "Ja"
    await page.keyboard.press('Space');
    await tabTo(idIs('submit-referral'));
    await page.keyboard.press('Enter');

    await page.waitForURL(/received=1/);
    await page.locator('h1', { hasText: 'Remissen är mottagen' }).waitFor();
    // Focus moved to the new page's heading, so reading starts there.
    expect(await page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('H1');
  });
});
