import { describe, expect, it } from 'vitest';
import { swedishDateOf } from '../../shared/time.js';
import { axeViolations, useSignedInPages } from '../helpers/browser.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';

/**
 * The closed loop in a real browser: an officer refers, a back-office team member works the case from
 * the work list and the case page, and the officer sees every step and the outcome.
 */
describe('the back office', () => {
  const { pageFor } = useSignedInPages();

  /**
   * An Employment Service officer refers a person in the job and development guarantee only (TG2):
   * one target group, so the case goes to the Employment Service team alone. Returns the status page.
   */
  async function referAndWaitUntilRouted(givenName: string) {
    const officer = await pageFor('employment-officer', '/app/referrals/new');
    await officer.locator('#f-person-personalIdentityNumber').fill(uniqueIdentityNumber());
    await officer.locator('#f-person-givenName').fill(givenName);
    await officer.locator('#f-person-familyName').fill('Exempel');
    await officer.locator('#f-consent-given').check();
    await officer.locator('#f-consent-recordedAt').fill(swedishDateOf(new Date()));
    await officer.locator('#f-situation-unemployedMonths').fill('3');
    await officer.locator('input[name="situation.jobAndDevelopmentGuarantee"][value="yes"]').check();
    await officer.locator('#submit-referral').click();
    await officer.waitForURL(/received=1/);
    await officer.locator('.status-line .tag', { hasText: 'Skickad till team' }).waitFor({ timeout: 20_000 });
    return officer;
  }

  it('lets a team member accept and close the case, and the officer sees the outcome', async () => {
    const officer = await referAndWaitUntilRouted('Alva');
    const team = await pageFor('employment-service-team', '/app/cases');

    await team.locator('table a', { hasText: 'Alva Exempel' }).click();
    await team.locator('h1', { hasText: 'Ärende: Alva Exempel' }).waitFor();
    await team.locator('button', { hasText: 'Ta emot ärendet' }).click();
    await team.locator('#action-result', { hasText: 'Arbetsförmedlingens team tog emot ärendet' }).waitFor();
    expect(await team.locator('main .status-line .tag').textContent()).toBe('Pågår');
    await officer.locator('.status-line .tag', { hasText: 'Pågår' }).waitFor({ timeout: 10_000 });

    await team.locator('button', { hasText: 'Avsluta ärendet' }).click();
    await team.locator('#error-summary a', { hasText: 'Välj vad utfallet blev' }).waitFor();
    expect(await axeViolations(team)).toEqual([]); // the case page with the close form and its error
    await team.getByLabel('arbete', { exact: true }).check();
    await team.locator('button', { hasText: 'Avsluta ärendet' }).click();
    await team.locator('#action-result', { hasText: 'avslutade ärendet (utfall: arbete)' }).waitFor();
    expect(await team.locator('main .status-line .tag').textContent()).toBe('Avslutad');

    await officer.locator('.status-line .tag', { hasText: 'Avslutad' }).waitFor({ timeout: 10_000 });
    const steps = await officer.locator('.timeline__text').allTextContents();
    expect(steps).toEqual([
      'Remissen togs emot',
      'Skickad till Arbetsförmedlingens team',
      'Arbetsförmedlingens team tog emot ärendet',
      'Arbetsförmedlingens team avslutade ärendet (utfall: arbete)',
    ]);
    expect(await officer.locator('#status-announcer').textContent()).toBe('Ny status: Avslutad');
  });

  it('asks for a reason before a team declines, and the team then leaves the case', async () => {
    await referAndWaitUntilRouted('Berit');
    const team = await pageFor('employment-service-team', '/app/cases');
    await team.locator('table a', { hasText: 'Berit Exempel' }).click();
    await team.locator('h1', { hasText: 'Ärende: Berit Exempel' }).waitFor();

    await team.locator('button', { hasText: 'Avböj ärendet' }).click();
    await team.locator('#error-summary a', { hasText: 'Skriv varför ni avböjer ärendet' }).waitFor();
    await team
      .getByLabel('Varför avböjer ni ärendet?')
      .fill('Personen får redan stöd hos oss i ett annat program.');
    await team.locator('button', { hasText: 'Avböj ärendet' }).click();
    await team.locator('button', { hasText: 'Ja, avböj ärendet' }).click();

    await team.locator('#action-result', { hasText: 'Arbetsförmedlingens team avböjde ärendet' }).waitFor();
    await team.locator('#action-result', { hasText: 'Ert team har lämnat ärendet' }).waitFor();
    const coordinator = await pageFor('front-desk-coordinator', '/app/cases');
    await coordinator.locator('table a', { hasText: 'Berit Exempel' }).waitFor();
  });
});
