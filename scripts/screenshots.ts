/**
 * `npm run screenshots`: starts the local stack on free ports, drives Debian's Chromium through the
 * web app and writes the pictures the README shows to docs/. Needs /usr/bin/chromium
 * (`apt-get install -y chromium`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from '../local/runtime.js';
import { fillReferral, launchBrowser, newPage, signIn } from '../tests/helpers/browser.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
/** Skatteverket's test number from the contract's example: never a real person. */
const EXAMPLE_NUMBER = '19901211-9948';

async function main() {
  await mkdir(DOCS, { recursive: true });
  const [stack, browser] = await Promise.all([
    startLocalStack({ port: 0, dynamoPort: 0, sqsPort: 0, quiet: true, web: true }),
    launchBrowser(),
  ]);
  const written: string[] = [];
  const shot = async (page: Awaited<ReturnType<typeof newPage>>['page'], name: string, fullPage = true) => {
    await page.screenshot({ path: join(DOCS, name), fullPage, animations: 'disabled' });
    written.push(`docs/${name}`);
  };
  try {
    const { page } = await newPage(browser, { width: 1024, height: 900 });
    await signIn(page, stack.url, 'employment-officer', '/app/referrals/new');
    await page.locator('#submit-referral').waitFor();
    await shot(page, 'referral-form.png');

    await page.locator('#f-person-personalIdentityNumber').fill('19901211-9947');
    await page.locator('#submit-referral').click();
    await page.locator('#error-summary').waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'referral-form-errors.png', false);

    await fillReferral(page, 'employment-service', { identityNumber: EXAMPLE_NUMBER });
    await page.locator('#f-situation-workCapacityHoursPerWeek').fill('20');
    await page.locator('#submit-referral').click();
    await page.waitForURL(/received=1/);
    await page.locator('.status-line .tag', { hasText: 'Skickad till team' }).waitFor({ timeout: 20_000 });
    await shot(page, 'receipt.png');
    const caseId = new URL(page.url()).searchParams.get('case');

    const phone = await newPage(browser, { width: 320, height: 640 });
    await signIn(phone.page, stack.url, 'municipality-officer', '/app/referrals/new');
    await phone.page.locator('#submit-referral').waitFor();
    await shot(phone.page, 'referral-form-320px.png', false);

    const team = await newPage(browser, { width: 1024, height: 700 });
    await signIn(team.page, stack.url, 'employment-service-team', '/app/cases');
    await team.page.locator('table a').first().waitFor();
    await shot(team.page, 'work-list.png', false);
    await team.page.goto(`${stack.url}/app/cases/${caseId}`);
    await team.page.locator('main .status-line').waitFor();
    await shot(team.page, 'case-page.png');

    console.log(`Wrote ${written.join(', ')}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
