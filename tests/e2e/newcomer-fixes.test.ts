import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime.js';
import { fillReferral, newPage, signIn, useStackAndBrowser } from '../helpers/browser.js';
import { testIdentityNumber, uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * What a newcomer tripped over (issue 10): pages that scroll sideways at 320 px and squeeze their
 * tables at 1280 px, a status page that went stale, a history that did not say who sent a referral,
 * a form that pre-filled a legally significant date and asked for codes, and its warnings.
 */
describe('what a newcomer found', () => {
  let stack: LocalStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const started = useStackAndBrowser();

  /** Calls the API as a demo user. */
  async function call(user: string, path: string, init: { method?: string; body?: unknown } = {}) {
    const token = await stack.issueToken(user);
    const response = await fetch(`${stack.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    expect(response.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
    return response.json() as Promise<Record<string, unknown>>;
  }

  async function referAndWaitUntilRouted(user: string, body: unknown) {
    const accepted = (await call(user, '/referrals', { method: 'POST', body })) as {
      referralId: string;
      caseId: string;
    };
    for (let tries = 0; tries < 100; tries++) {
      const view = await call(user, `/referrals/${accepted.referralId}`);
      if (view.status === 'ROUTED') return accepted;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the referral was never routed');
  }

  const event = (user: string, caseId: string, body: Record<string, unknown>) =>
    call(user, `/cases/${caseId}/events`, { method: 'POST', body });

  let referralId: string;
  let caseId: string;
  const person = uniqueIdentityNumber();

  beforeAll(async () => {
    ({ stack, browser } = started);
    // The Employment Service refers a person (routed to its team, the front desk and the partners),
    // then the municipality refers the same person: one case, two received steps.
    ({ referralId, caseId } = await referAndWaitUntilRouted(
      'employment-officer',
      referralBody('employment-service', {
        person: { personalIdentityNumber: person },
        situation: { workCapacityHoursPerWeek: 12.5 },
      }),
    ));
    await referAndWaitUntilRouted(
      'municipality-officer',
      referralBody('municipality', { person: { personalIdentityNumber: person } }),
    );
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  async function pageFor(user: string | undefined, path: string, width = 1024): Promise<Page> {
    const { context, page } = await newPage(browser, { width, height: 800 });
    contexts.push(context);
    if (user) await signIn(page, stack.url, user, path);
    else await page.goto(`${stack.url}${path}`);
    return page;
  }

  it('scrolls no page sideways at 320 px, the team filter of the front desk and the admin included', async () => {
    const pages: [string | undefined, string, string][] = [
      [undefined, '/app/sign-in', 'button[data-user]'],
      [undefined, '/app/accessibility', 'a[href^="mailto:"]'],
      [undefined, '/app/no-such-page', 'main h1'],
      ['municipality-officer', '/app/referrals/new', '#submit-referral'],
      ['employment-officer', `/app/referrals/${referralId}?received=1&case=${caseId}`, '#screening-heading'],
      ['employment-officer', '/app/referrals', 'table tbody a'],
      ['front-desk-coordinator', '/app/cases', 'main .table'],
      ['front-desk-coordinator', `/app/cases/${caseId}`, 'main .status-line'],
      ['admin', '/app/cases', 'main .table, main .notice'],
      ['employment-service-team', '/app/cases', 'main .table, main .notice'],
    ];
    const overflows: string[] = [];
    for (const [user, path, ready] of pages) {
      const page = await pageFor(user, path, 320);
      await page.locator(ready).first().waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      if (overflow > 0) overflows.push(`${path} as ${user ?? 'nobody'}: ${overflow} px too wide`);
      await contexts.pop()?.close();
    }
    expect(overflows).toEqual([]);
  });

  it('gives tables the width of a 1280 px screen and keeps their tags on one line', async () => {
    for (const [user, path] of [
      ['front-desk-coordinator', '/app/cases'],
      ['employment-officer', '/app/referrals'],
    ] as const) {
      const page = await pageFor(user, path, 1280);
      await page.locator('main .table tbody tr').first().waitFor();
      const tableWidth = await page.evaluate<number>(
        "document.querySelector('main .table').getBoundingClientRect().width",
      );
      expect(tableWidth, path).toBeGreaterThan(1000);
      const wrapped = await page.evaluate<number>(
        `[...document.querySelectorAll('main .table .tag')].filter((tag) =>
          tag.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(tag).lineHeight)).length`,
      );
      expect(wrapped, path).toBe(0);
    }
  });

  it('keeps the status page true to the steps: screened, a decline, and the only working team closed', async () => {
    const page = await pageFor(
      'employment-officer',
      `/app/referrals/${referralId}?received=1&case=${caseId}`,
    );
    await page.locator('#screening-heading').waitFor();
    await page.locator('#receipt-next', { hasText: 'Remissen är bedömd' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Remissen bedöms nu');
    expect(await page.locator('dd', { hasText: 'Timrå kommun' }).count()).toBe(0); // its own referral
    expect(await page.locator('dd', { hasText: /^Arbetsförmedlingen$/ }).count()).toBe(1);

    await event('partner-team', caseId, {
      type: 'declined',
      team: 'partner-programmes',
      reason: 'Inga platser just nu.',
    });
    await event('employment-service-team', caseId, { type: 'accepted', team: 'employment-service' });
    await event('employment-service-team', caseId, {
      type: 'closed',
      team: 'employment-service',
      outcome: 'employment',
    });
    await page.reload();
    await page.locator('.status-line .tag', { hasText: 'Pågår' }).waitFor();

    const explanation = await page.locator('#status-explanation').textContent();
    expect(explanation).not.toContain('Ett team arbetar med ärendet');
    expect(explanation).toContain('Arbetsförmedlingens team har avslutat sitt arbete med ärendet.');
    expect(explanation).toContain('Front Desk (samordning och gemensam bedömning) har fått ärendet');
    expect(explanation).toContain('Partnerprogram (idéburna organisationer) har lämnat ärendet.');
    const routes = await page.locator('dt:text-is("Skickad till") + dd li').allTextContents();
    expect(routes).toContain('Partnerprogram (idéburna organisationer) (avböjde ärendet)');
    expect(routes).toContain('Arbetsförmedlingens team (har avslutat ärendet)');
  });

  it('names the agency of each received referral in the case history, and writes 12,5 in Swedish', async () => {
    const page = await pageFor('front-desk-coordinator', `/app/cases/${caseId}`);
    await page.locator('.timeline__text').first().waitFor();
    const steps = await page.locator('.timeline__text').allTextContents();

    expect(steps.filter((step) => step.startsWith('Remissen'))).toEqual([
      'Remissen från Arbetsförmedlingen togs emot',
      'Remissen från Timrå kommun togs emot',
    ]);
    expect(await page.locator('main').textContent()).toContain('12,5 timmar i veckan');
  });

  it('asks for the consent date, offers municipalities and languages, and warns of an age outside 16–65', async () => {
    const page = await pageFor('employment-officer', '/app/referrals/new');
    await page.locator('#submit-referral').waitFor();
    expect(await page.locator('#f-consent-recordedAt').inputValue()).toBe('');

    // The deployment's municipality first and chosen; another one's code is typed when chosen.
    expect(await page.locator('#f-person-municipalityCode').isChecked()).toBe(true);
    expect(await page.locator('label[for="f-person-municipalityCode"]').textContent()).toBe('Timrå kommun');
    expect(await page.locator('#f-person-municipalityCode-code').isVisible()).toBe(false);
    await page.locator('input[name="person.municipalityCode"][value="other"]').check();
    await page.locator('#f-person-municipalityCode-code').fill('2281');
    // Languages by name, the BCP 47 tag as the value.
    expect(await page.locator('#f-person-preferredLanguage option[value="ar"]').textContent()).toBe(
      'arabiska',
    );
    await page.locator('#f-person-preferredLanguage').selectOption('so');

    // A 70-something: warned under the field and once more before the first submit.
    await fillReferral(page, 'employment-service', { identityNumber: uniqueIdentityNumber('1950-01-01') });
    await page.locator('#f-person-givenName').focus();
    await page
      .locator('#f-person-personalIdentityNumber-warning', { hasText: /Personen är 7\d år/ })
      .waitFor();
    await page.locator('#submit-referral').click();
    await page.locator('#form-problem', { hasText: 'Kontrollera personnumret innan du skickar' }).waitFor();
    expect(page.url()).toContain('/app/referrals/new');
    await page.locator('#submit-referral').click();
    await page.waitForURL(/received=1/);

    const referral = (await call(
      'employment-officer',
      `/referrals/${new URL(page.url()).pathname.split('/').pop()}`,
    )) as { caseId: string };
    const view = (await call('front-desk-coordinator', `/cases/${referral.caseId}`)) as {
      person: { municipalityCode?: string; preferredLanguage?: string };
    };
    expect(view.person).toMatchObject({ municipalityCode: '2281', preferredLanguage: 'so' });
  });

  it('says serial 000 is never issued, in Swedish and in English', async () => {
    const page = await pageFor('employment-officer', '/app/referrals/new');
    await page
      .locator('#f-person-personalIdentityNumber')
      .fill(testIdentityNumber('1990-12-11', { serial: 0 }));
    await page.locator('#f-person-givenName').focus();
    await page.locator('#f-person-personalIdentityNumber-status', { hasText: 'löpnumret 000' }).waitFor();

    await page.locator('button', { hasText: 'In English' }).click();
    await page
      .locator('#f-person-personalIdentityNumber')
      .fill(testIdentityNumber('1990-12-11', { serial: 0 }));
    await page.locator('#f-person-givenName').focus();
    await page.locator('#f-person-personalIdentityNumber-status', { hasText: 'serial number 000' }).waitFor();
  });
});
