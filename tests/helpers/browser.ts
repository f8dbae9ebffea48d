import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import type { Agency } from '../../shared/config/deployment.js';
import { swedishDateOf } from '../../shared/time.js';

/** Debian's Chromium: CI's .ci/run installs it; the tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** One browser per test file (a fresh temporary profile each launch); a context per test. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests drive Debian's Chromium at ${CHROMIUM}, which is missing. ` +
        'Install it with `apt-get install -y chromium` (CI installs it in .ci/run).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * The whole local stack and one browser for a test file, started together before its tests and
 * stopped after them. Read `stack` and `browser` from the returned object inside the tests.
 */
export function useStackAndBrowser(): { stack: LocalStack; browser: Browser } {
  const started = {} as { stack: LocalStack; browser: Browser };
  beforeAll(async () => {
    [started.stack, started.browser] = await Promise.all([
      startLocalStack({ port: 0, dynamoPort: 0, sqsPort: 0, quiet: true, visibilityTimeoutSeconds: 1 }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.stack?.stop();
  });
  return started;
}

/**
 * useStackAndBrowser, and `pageFor(user, path)`: a new page signed in as a demo user at `path`; the
 * pages' contexts are closed after each test.
 */
export function useSignedInPages() {
  const started = useStackAndBrowser();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  const pageFor = async (user: string, path: string, lang?: 'sv' | 'en'): Promise<Page> => {
    const { context, page } = await newPage(started.browser, lang ? { lang } : {});
    contexts.push(context);
    await signIn(page, started.stack.url, user, path);
    return page;
  };
  return { started, pageFor };
}

/** A new context, Swedish unless told otherwise (the app's default; the stored choice wins). */
export async function newPage(
  browser: Browser,
  options: { lang?: 'sv' | 'en'; width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1024, height: options.height ?? 800 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  if (options.lang) {
    // A script string: the tests are type-checked without the DOM's types.
    await context.addInitScript(
      `if (!localStorage.getItem('frontdesk.lang')) localStorage.setItem('frontdesk.lang', ${JSON.stringify(options.lang)});`,
    );
  }
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs in on the sign-in page as a demo user (GET /local/users, POST /local/login). */
export async function signIn(page: Page, baseUrl: string, user: string, next = '') {
  await page.goto(`${baseUrl}/app/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.locator(`button[data-user="${user}"]`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'));
}

export const OFFICER_OF: Record<Agency, string> = {
  municipality: 'municipality-officer',
  'employment-service': 'employment-officer',
  'social-insurance': 'insurance-officer',
};

/** The agency's required situation, as the form asks for it (by field id). */
export const SITUATION_OF: Record<
  Agency,
  { months: Record<string, string>; radios: Record<string, string> }
> = {
  municipality: { months: { 'f-situation-financialAssistanceMonths': '10' }, radios: {} },
  'employment-service': {
    months: { 'f-situation-unemployedMonths': '14' },
    radios: {
      'situation.jobAndDevelopmentGuarantee': 'yes',
      'situation.unemploymentInsuranceExhausted': 'yes',
    },
  },
  'social-insurance': {
    months: { 'f-situation-sickLeaveMonths': '14' },
    radios: { 'situation.compensation': 'sickness-benefit' },
  },
};

/** Fills the referral form for the agency's officer: a person, consent and the agency's situation. */
export async function fillReferral(
  page: Page,
  agency: Agency,
  person: { identityNumber: string; givenName?: string; familyName?: string },
) {
  await page.locator('#f-person-personalIdentityNumber').fill(person.identityNumber);
  await page.locator('#f-person-givenName').fill(person.givenName ?? 'Anna');
  await page.locator('#f-person-familyName').fill(person.familyName ?? 'Exempel');
  await page.locator('#f-consent-given').check();
  // The form leaves the consent date empty (it records when the person agreed): type today's.
  await page.locator('#f-consent-recordedAt').fill(swedishDateOf(new Date()));
  const situation = SITUATION_OF[agency];
  for (const [id, value] of Object.entries(situation.months)) await page.locator(`#${id}`).fill(value);
  for (const [name, value] of Object.entries(situation.radios)) {
    await page.locator(`input[name="${name}"][value="${value}"]`).check();
  }
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
};

/** Runs axe-core on the page at WCAG 2.1 A and AA; returns the violations (none is the goal). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const options = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  };
  return page.evaluate<AxeViolation[]>(
    `axe.run(document, ${JSON.stringify(options)}).then((result) => result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target })),
    })))`,
  );
}

/** The focused element's id (the tests are type-checked without the DOM's types, hence a string). */
export const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');
