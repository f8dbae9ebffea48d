import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime.js';
import { type AxeViolation, axeViolations, useSignedInPages } from '../helpers/browser.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * CONTRACT.md v1.1, "Consent over the case's life" and "What each party sees", in a real browser: a
 * team that a later referral's narrower consent no longer covers is told so (and what to do), the
 * front desk sees why, a partner team is told nothing of eligibility, and officers see names.
 */
describe("the client's consent over the case's life", () => {
  let stack: LocalStack;
  /** Routed to employment-service, partner-programmes and front-desk, then narrowed to labour-market-unit. */
  let narrowedCaseId: string;
  /** Routed to partner-programmes among others, and left so. */
  let partnerCaseId: string;

  const { started, pageFor } = useSignedInPages();

  async function call(user: string, path: string, init: { method?: string; body?: unknown } = {}) {
    const token = await stack.issueToken(user);
    const response = await fetch(`${stack.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function until(what: string, check: () => Promise<boolean>) {
    for (let tries = 0; tries < 100; tries++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting until ${what}`);
  }

  async function referAndRoute(user: string, body: unknown) {
    const accepted = await call(user, '/referrals', { method: 'POST', body });
    expect(accepted.status).toBe(202);
    const referralId = String(accepted.body.referralId);
    await until('the referral is routed', async () => {
      const view = await call(user, `/referrals/${referralId}`);
      return view.body.status === 'ROUTED';
    });
    return String(accepted.body.caseId);
  }

  /** The employment service's referral of the contract's walk-through: TG1 and TG2, 20 hours a week. */
  const employmentReferral = (personalIdentityNumber: string, givenName: string) =>
    referralBody('employment-service', {
      person: { personalIdentityNumber, givenName, familyName: 'Exempel' },
      situation: {
        unemployedMonths: 14,
        unemploymentInsuranceExhausted: true,
        jobAndDevelopmentGuarantee: true,
        workCapacityHoursPerWeek: 20,
      },
    });

  beforeAll(async () => {
    ({ stack } = started);

    const personalIdentityNumber = uniqueIdentityNumber();
    narrowedCaseId = await referAndRoute(
      'employment-officer',
      employmentReferral(personalIdentityNumber, 'Doris'),
    );
    const routed = await call('front-desk-coordinator', `/cases/${narrowedCaseId}`);
    expect((routed.body.screening as { routes: string[] }).routes).toEqual([
      'employment-service',
      'front-desk',
      'partner-programmes',
    ]);
    // The municipality refers the same person; the client now lets only the labour-market unit know.
    const joined = await call('municipality-officer', '/referrals', {
      method: 'POST',
      body: referralBody('municipality', {
        person: { personalIdentityNumber, givenName: 'Doris', familyName: 'Exempel' },
        consent: { recipients: ['labour-market-unit'] },
        situation: { financialAssistanceMonths: 10 },
      }),
    });
    expect(joined.body).toMatchObject({ caseId: narrowedCaseId, attachedToExistingCase: true });
    let last = '';
    await until('screening has withdrawn the case from the employment service', async () => {
      const view = await call('front-desk-coordinator', `/cases/${narrowedCaseId}`);
      last = JSON.stringify(view.body.history);
      return (view.body.history as { event: string; team?: string }[]).some(
        (step) => step.event === 'consent-withdrawn' && step.team === 'employment-service',
      );
    }).catch((error: Error) => {
      throw new Error(`${error.message}: ${last}`);
    });

    partnerCaseId = await referAndRoute(
      'employment-officer',
      employmentReferral(uniqueIdentityNumber(), 'Edit'),
    );
  });

  const describeViolations = (violations: AxeViolation[]) =>
    violations.map(
      (violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );

  const LOST = {
    sv: {
      heading: 'Klientens samtycke omfattar inte längre ert team',
      removed: 'Ärendet har tagits bort från er arbetslista',
      own: 'Om ert eget system har sparat något om ärendet ska ni radera det där.',
      back: 'Tillbaka till arbetslistan',
    },
    en: {
      heading: "The client's consent no longer covers your team",
      removed: 'The case has been removed from your work list',
      own: 'If your own system holds anything about the case, delete it there.',
      back: 'Back to the work list',
    },
  } as const;

  for (const lang of ['sv', 'en'] as const) {
    it(`tells a team the consent no longer covers that it has lost the case (${lang})`, async () => {
      const lost = await call('employment-service-team', `/cases/${narrowedCaseId}`);
      expect(lost.status).toBe(404);
      expect(lost.body.type).toBe('urn:frontdesk:problem:consent-withdrawn');

      const team = await pageFor('employment-service-team', `/app/cases/${narrowedCaseId}`, lang);

      await team.locator('main h1', { hasText: LOST[lang].heading }).waitFor();
      expect(await team.locator('html').getAttribute('lang')).toBe(lang);
      expect(await team.title()).toContain(LOST[lang].heading);
      const text = await team.locator('main').textContent();
      expect(text).toContain(LOST[lang].removed);
      expect(text).toContain(LOST[lang].own);
      expect(text).not.toContain('Doris');
      expect(await team.locator('main .notice').count()).toBe(0);
      await team.locator('main .body a', { hasText: LOST[lang].back }).click();
      await team.waitForURL((url) => url.pathname === '/app/cases');
      await team.goBack();
      await team.locator('main h1', { hasText: LOST[lang].heading }).waitFor();
      expect(describeViolations(await axeViolations(team))).toEqual([]);
    });
  }

  it('shows the front desk which teams lost the case, and why', async () => {
    const coordinator = await pageFor('front-desk-coordinator', `/app/cases/${narrowedCaseId}`);
    await coordinator.locator('h1', { hasText: 'Ärende: Doris Exempel' }).waitFor();

    const steps = await coordinator.locator('.timeline__text').allTextContents();
    expect(steps).toContain(
      'Arbetsförmedlingens team har inte längre ärendet (samtycket omfattar inte teamet)',
    );
    expect(steps).toContain(
      'Partnerprogram (idéburna organisationer) har inte längre ärendet (samtycket omfattar inte teamet)',
    );
    const row = (team: string) => coordinator.locator('tbody tr', { hasText: team });
    expect(await row('Arbetsförmedlingens team').locator('.tag').textContent()).toBe('Samtycke saknas');
    expect(await row('Arbetsförmedlingens team').textContent()).toContain('samtycket omfattar inte teamet.');

    await coordinator.locator('#language-switch').click();
    await coordinator.locator('h1', { hasText: 'Case: Doris Exempel' }).waitFor();
    expect(await coordinator.locator('.timeline__text').allTextContents()).toContain(
      'Public Employment Service team no longer has the case (the consent does not cover the team)',
    );
    expect(await row('Public Employment Service team').locator('.tag').textContent()).toBe('No consent');
  });

  it('says nothing of eligibility to a partner team, and lists its target groups', async () => {
    const partner = await pageFor('partner-team', `/app/cases/${partnerCaseId}`);
    await partner.locator('h1', { hasText: 'Ärende: Edit Exempel' }).waitFor();

    const screening = partner.locator('section[aria-labelledby="screening-heading"]');
    expect(await screening.locator('.code').allTextContents()).toEqual(['TG1', 'TG2']);
    expect(await partner.locator('#screening-heading + p').count()).toBe(0);
    const text = await screening.textContent();
    expect(text).not.toContain('hör till Front Desks målgrupper');
    expect(text).not.toContain('uppfyller inte villkoren');
  });

  it("names the person on each row of the agency's referrals", async () => {
    const officer = await pageFor('employment-officer', '/app/referrals');
    await officer.locator('table tbody tr').first().waitFor();

    expect(await officer.locator('thead th').allTextContents()).toEqual([
      'Person',
      'Ärendenummer',
      'Status',
      'Skickad',
      'Senast ändrad',
    ]);
    const names = await officer.locator('tbody tr td:first-child').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Doris Exempel', 'Edit Exempel']));
  });
});
