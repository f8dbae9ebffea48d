import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime.js';
import { useSignedInPages } from '../helpers/browser.js';
import { referralBody } from '../helpers/referrals.js';

type Referred = { referralId: string; caseId: string; reference: string; identityNumber: string };

/**
 * A caseworker's day in a real browser: find a case by reference, identity number or name, take it
 * or give it to a colleague, keep notes, filter and export the work list, decline only after
 * confirming, and print the case page without its navigation and forms.
 */
describe("a caseworker's day", () => {
  let stack: LocalStack;
  const { started, pageFor } = useSignedInPages();
  beforeAll(async () => {
    ({ stack } = started);
  });

  /** The Employment Service refers a person in the job and development guarantee only: one team. */
  async function refer(givenName: string, familyName: string): Promise<Referred> {
    const token = await stack.issueToken('employment-officer');
    const body = referralBody('employment-service', { person: { givenName, familyName } });
    // Only the guarantee: TG2 alone, so the case goes to the Employment Service team alone.
    body.situation = { unemployedMonths: 3, jobAndDevelopmentGuarantee: true };
    const response = await fetch(`${stack.url}/referrals`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const { referralId, caseId } = (await response.json()) as { referralId: string; caseId: string };
    for (let tries = 0; tries < 100; tries++) {
      const view = (await (
        await fetch(`${stack.url}/referrals/${referralId}`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as { status: string; reference: string };
      if (view.status === 'ROUTED') {
        return {
          referralId,
          caseId,
          reference: view.reference,
          identityNumber: body.person.personalIdentityNumber,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the referral was not routed');
  }

  const search = async (page: Page, text: string) => {
    await page.locator('#header-search').fill(text);
    await page.locator('.header-search__button').click();
  };

  it('finds a case by its reference, by identity number in another form, and by name', async () => {
    const referred = await refer('Sigrid', 'Sökström');
    const team = await pageFor('employment-service-team', '/app/cases');
    await team.locator('table a').first().waitFor();

    await search(team, referred.reference.toLowerCase());
    await team.waitForURL(`**/app/cases/${referred.caseId}`);
    await team.locator('h1', { hasText: `Ärende: Sigrid Sökström (${referred.reference})` }).waitFor();
    expect(await team.locator('#case-reference').textContent()).toBe(referred.reference);

    // 19YYMMDD-NNNN typed as YYMMDDNNNN: the same person.
    const short = referred.identityNumber.replace('-', '').slice(2);
    await team.locator('.nav__link', { hasText: 'Arbetslista' }).click();
    await team.waitForURL('**/app/cases');
    await search(team, short);
    await team.waitForURL(`**/app/cases/${referred.caseId}`);
    await team.locator('h1', { hasText: 'Sigrid Sökström' }).waitFor();

    await search(team, 'sökst');
    await team.locator('#search-result', { hasText: '1 träff för ”sökst”' }).waitFor();
    expect(await team.locator('main tbody tr td:nth-child(2)').textContent()).toBe(referred.reference);
    await team.locator('main tbody a', { hasText: 'Sigrid Sökström' }).click();
    await team.waitForURL(`**/app/cases/${referred.caseId}`);

    await search(team, 'Ingenalls');
    await team.locator('#search-result', { hasText: 'Inget namn börjar med ”Ingenalls”' }).waitFor();

    // An officer finds the agency's referral the same way; its list shows name and reference.
    const officer = await pageFor('employment-officer', '/app/referrals');
    await officer.locator('tbody tr', { hasText: referred.reference }).waitFor();
    expect(await officer.locator('tbody tr', { hasText: referred.reference }).textContent()).toContain(
      'Sigrid Sökström',
    );
    await search(officer, referred.reference);
    await officer.waitForURL(`**/app/referrals/${referred.referralId}`);
    await officer.locator('.nav__link', { hasText: 'Våra remisser' }).click();
    await officer.waitForURL('**/app/referrals');
    await search(officer, referred.identityNumber);
    await officer.waitForURL(`**/app/referrals/${referred.referralId}`);
    await search(officer, 'Sigrid');
    await officer.locator('main tbody a', { hasText: 'Sigrid Sökström' }).waitFor();

    // Our referrals: searched and filtered by status on the page itself.
    await officer.goto(`${stack.url}/app/referrals`);
    await officer.locator('#referrals-q').fill('Sökström');
    await officer.locator('#referrals-status').selectOption('ROUTED');
    await officer.locator('form[role="search"] button', { hasText: 'Visa' }).click();
    await officer.waitForURL(/q=S%C3%B6kstr%C3%B6m&status=ROUTED/);
    await officer.locator('tbody tr', { hasText: referred.reference }).waitFor();
    await officer.locator('#referrals-status').selectOption('CLOSED');
    await officer.locator('form[role="search"] button', { hasText: 'Visa' }).click();
    await officer.locator('main p', { hasText: 'Inga av de hämtade remisserna har den statusen' }).waitFor();
  });

  it('lets a team member take the case, give it to a colleague, and list their own cases', async () => {
    const referred = await refer('Tora', 'Tagen');
    const team = await pageFor('employment-service-team', `/app/cases/${referred.caseId}`);
    await team
      .locator('#assignee-employment-service', { hasText: 'Ingen i teamet har tagit ärendet än' })
      .waitFor();

    await team.locator('button', { hasText: 'Ta ärendet' }).click();
    await team.locator('#action-result', { hasText: 'Du är nu kontaktperson för ärendet' }).waitFor();
    await team.locator('#assignee-employment-service', { hasText: 'Du är teamets kontaktperson' }).waitFor();
    expect(await team.locator('button', { hasText: 'Ta ärendet' }).count()).toBe(0);
    const row = team.locator('#teams-heading + .table-wrapper tbody tr', { hasText: 'Arbetsförmedlingen' });
    expect(await row.textContent()).toContain('employment-service-team');

    await team.locator('.nav__link', { hasText: 'Arbetslista' }).click();
    await team.locator('#my-cases').click();
    await team.locator('h1', { hasText: 'Mina ärenden' }).waitFor();
    await team.locator('tbody tr', { hasText: referred.reference }).waitFor();

    await team.goto(`${stack.url}/app/cases/${referred.caseId}`);
    await team.locator('button', { hasText: 'Ge ärendet till kollegan' }).click();
    await team.locator('#error-summary a', { hasText: 'Skriv kollegans användar-id' }).click();
    expect(await team.evaluate<string | undefined>('document.activeElement?.id')).toBe(
      'assign-employment-service-user',
    );
    await team.locator('#assign-employment-service-user').fill('kollega.ett');
    await team.locator('button', { hasText: 'Ge ärendet till kollegan' }).click();
    await team
      .locator('#assignee-employment-service', { hasText: 'Teamets kontaktperson är kollega.ett' })
      .waitFor();

    await team.goto(`${stack.url}/app/cases?assignee=me`);
    await team
      .locator('main p', { hasText: 'Du har inga ärenden just nu' })
      .or(team.locator('tbody tr'))
      .first()
      .waitFor();
    expect(await team.locator('tbody tr', { hasText: referred.reference }).count()).toBe(0);
  });

  it("keeps the team's notes on the case, checked before they are sent, never shown to the officer", async () => {
    const referred = await refer('Nora', 'Noterad');
    const team = await pageFor('employment-service-team', `/app/cases/${referred.caseId}`);
    await team.locator('#notes-empty').waitFor();

    await team.locator('#note-save').click();
    await team.locator('#error-summary a', { hasText: 'Skriv anteckningen' }).waitFor();
    expect(await team.title()).toMatch(/^Fel: /);
    await team.locator('#note-text').fill('Ringde Nora: hon vill börja efter nyår.');
    await team.locator('#note-save').click();
    await team.locator('#note-result', { hasText: 'Anteckningen är sparad' }).waitFor();
    const note = team.locator('#notes-list li').first();
    expect(await note.textContent()).toContain('Ringde Nora: hon vill börja efter nyår.');
    expect(await note.textContent()).toContain('employment-service-team');
    expect(await team.locator('#note-text').inputValue()).toBe('');

    const coordinator = await pageFor('front-desk-coordinator', `/app/cases/${referred.caseId}`);
    await coordinator.locator('#notes-list', { hasText: 'Ringde Nora' }).waitFor();

    const officer = await pageFor('employment-officer', `/app/referrals/${referred.referralId}`);
    await officer.locator('#screening-heading').waitFor();
    expect(await officer.locator('main').textContent()).not.toContain('Ringde Nora');
  });

  it('asks before a team declines, says the case goes to the front desk, and lists it there and as declined', async () => {
    const referred = await refer('Dora', 'Avböjd');
    const team = await pageFor('employment-service-team', `/app/cases/${referred.caseId}`);
    await team.getByLabel('Varför avböjer ni ärendet?').fill('Personen får redan stöd hos oss.');
    await team.locator('button', { hasText: 'Avböj ärendet' }).click();

    const confirmation = team.locator('#decline-employment-service-confirmation');
    await confirmation.locator('h3', { hasText: 'Vill ni avböja ärendet?' }).waitFor();
    expect(await confirmation.textContent()).toContain(
      'Inget annat team har ärendet. Det går därför till Front Desk',
    );
    expect(await team.evaluate<string | undefined>('document.activeElement?.id')).toBe(
      'decline-employment-service-confirm-heading',
    );
    await confirmation.locator('button', { hasText: 'Nej, gå tillbaka' }).click();
    expect(await team.getByLabel('Varför avböjer ni ärendet?').inputValue()).toBe(
      'Personen får redan stöd hos oss.',
    );
    await team.locator('button', { hasText: 'Avböj ärendet' }).click();
    await confirmation.locator('button', { hasText: 'Ja, avböj ärendet' }).click();
    await team.locator('#action-result', { hasText: 'Ert team har lämnat ärendet' }).waitFor();

    // The team's declined work, and the front desk's queue saying why the case is there.
    await team.goto(`${stack.url}/app/cases?status=DECLINED`);
    await team.locator('tbody tr', { hasText: referred.reference }).waitFor();
    const coordinator = await pageFor('front-desk-coordinator', '/app/cases?team=front-desk&sort=waiting');
    const row = coordinator.locator('tbody tr', { hasText: referred.reference });
    await row.waitFor();
    expect(await row.textContent()).toContain('Alla team har avböjt');
  });

  it('filters the work list by status, target group and assignee, sorts it, and exports it as CSV', async () => {
    const referred = await refer('Filippa', 'Filtrerad');
    const coordinator = await pageFor('front-desk-coordinator', '/app/cases');
    await coordinator.locator('#filter-team').selectOption('employment-service');
    await coordinator.locator('#filter-status').selectOption('ROUTED');
    await coordinator.locator('#filter-target-group').selectOption('TG2');
    await coordinator.locator('#filter-sort').selectOption('reference');
    await coordinator.locator('form.filters button').click();
    await coordinator.waitForURL(/team=employment-service&status=ROUTED&targetGroup=TG2&sort=reference/);
    await coordinator.locator('tbody tr', { hasText: referred.reference }).waitFor();
    const references = await coordinator.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(references).toEqual([...references].sort());

    const [download] = await Promise.all([
      coordinator.waitForEvent('download'),
      coordinator.locator('#export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('arbetslista-employment-service.csv');
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.startsWith('\uFEFFÄrendenummer;Person;Team;Status;')).toBe(true);
    expect(csv).toContain(`${referred.reference};Filippa Filtrerad;`);
    expect(csv).not.toContain(referred.identityNumber.slice(-4));

    await coordinator.locator('#filter-target-group').selectOption('TG5');
    await coordinator.locator('form.filters button').click();
    await coordinator.waitForURL(/targetGroup=TG5/);
    await coordinator.locator('main .table, main p:has-text("Inga ärenden just nu")').first().waitFor();
    expect(await coordinator.locator('tbody tr', { hasText: referred.reference }).count()).toBe(0);

    await coordinator.locator('#filter-target-group').selectOption('');
    await coordinator.locator('#filter-assignee').selectOption('me');
    await coordinator.locator('form.filters button').click();
    await coordinator.locator('h1', { hasText: 'Mina ärenden' }).waitFor();
    await coordinator.locator('main p', { hasText: 'Du har inga ärenden just nu' }).waitFor();
  });

  it('prints the case page without navigation, search, forms or buttons', async () => {
    const referred = await refer('Petra', 'Printad');
    const team = await pageFor('employment-service-team', `/app/cases/${referred.caseId}`);
    await team.locator('#note-save').waitFor();
    expect(await team.locator('header').isVisible()).toBe(true);

    await team.emulateMedia({ media: 'print' });
    for (const hidden of [
      'header',
      'nav',
      '#header-search',
      'footer',
      'main form',
      'main button',
      '.back-link',
    ]) {
      const elements = await team.locator(hidden).all();
      expect(elements.length, hidden).toBeGreaterThan(0);
      for (const element of elements) expect(await element.isVisible(), hidden).toBe(false);
    }
    expect(await team.locator('h1').isVisible()).toBe(true);
    expect(await team.locator('#case-reference').textContent()).toBe(referred.reference);
    expect(await team.locator('#person-heading').isVisible()).toBe(true);
    expect(await team.locator('#notes-heading').isVisible()).toBe(true);
    await team.emulateMedia({ media: 'screen' });
    expect(await team.locator('#note-save').isVisible()).toBe(true);
  });
});
