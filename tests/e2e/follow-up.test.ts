import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { swedishDateOf } from '../../shared/time.js';
import { type AxeViolation, axeViolations, newPage, signIn, useStackAndBrowser } from '../helpers/browser.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * Issue #9 in a real browser: the follow-up page (Uppföljning) on the statistics API, for the steering
 * group. Eight TG4 referrals from the municipality this month, six women and two men, accepted by the
 * labour-market unit: with the threshold at 5, the month's eight show and the two men are "<5".
 */
describe('the follow-up page', () => {
  const started = useStackAndBrowser();
  const month = () => swedishDateOf(new Date()).slice(0, 7);

  beforeAll(async () => {
    const { stack } = started;
    const officer = await stack.issueToken('municipality-officer');
    const team = await stack.issueToken('labour-market-team');
    const submit = async (female: boolean, serial: number) => {
      const body = referralBody('municipality', {
        person: { personalIdentityNumber: testIdentityNumber('1985-03-10', { female, serial }) },
      });
      const response = await fetch(`${stack.url}/referrals`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${officer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      const { referralId } = (await response.json()) as { referralId: string };
      for (let tries = 0; tries < 150; tries++) {
        const view = (await (
          await fetch(`${stack.url}/referrals/${referralId}`, {
            headers: { Authorization: `Bearer ${officer}` },
          })
        ).json()) as { status: string; caseId: string };
        if (view.status === 'ROUTED') return view.caseId;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`referral ${referralId} was not routed`);
    };
    const people = [...Array.from({ length: 6 }, () => true), false, false];
    const caseIds = await Promise.all(people.map((female, index) => submit(female, 980 + index * 2)));
    for (const caseId of caseIds) {
      const response = await fetch(`${stack.url}/cases/${caseId}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${team}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ team: 'labour-market-unit', type: 'accepted' }),
      });
      expect(response.status, await response.text()).toBe(200);
    }
  });

  /** The table whose caption starts so, and one of its figures by row and column heading. */
  const table = (page: Page, caption: string) =>
    page.locator('table', { has: page.locator('caption', { hasText: caption }) });
  async function figure(page: Page, caption: string, row: string, column: string) {
    const found = table(page, caption);
    const headings = await found.locator('thead th').allInnerTexts();
    const index = headings.findIndex((heading) => heading.trim() === column);
    expect(index, `${column} in ${headings.join(' | ')}`).toBeGreaterThan(0);
    const cells = found.locator('tbody tr', { has: page.locator('th', { hasText: row }) }).first();
    return (
      await cells
        .locator('td')
        .nth(index - 1)
        .innerText()
    ).trim();
  }

  const describeViolations = (violations: AxeViolation[]) =>
    violations.map((violation) => `${violation.id}: ${violation.help} ${JSON.stringify(violation.nodes)}`);

  it('is a steering-group member\'s start page, with the period\'s figures and "<5" for small ones', async () => {
    const { stack, browser } = started;
    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'steering-group-member');
    await page.waitForURL((url) => url.pathname === '/app/follow-up');
    await table(page, 'Nya deltagare per målgrupp och kön').waitFor();

    expect(await page.locator('main h1').innerText()).toBe('Uppföljning');
    expect(await page.title()).toMatch(/^Uppföljning – /);
    expect(await page.locator('main h2').allInnerTexts()).toEqual(
      expect.arrayContaining(['Deltagare', 'Ålder och kön', 'Ledtider', 'Utfall', 'Mål', 'Jämställdhet']),
    );
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Uppföljning');

    const thisMonth = new Intl.DateTimeFormat('sv-SE', {
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Stockholm',
    }).format(new Date(`${month()}-15T12:00:00Z`));
    expect(await figure(page, 'Nya deltagare per månad och målgrupp', thisMonth, 'TG4')).toBe('8');
    // Two men: below the threshold of 5, and so is the six women's figure beside them (by subtraction).
    expect(await figure(page, 'Nya deltagare per målgrupp och kön', 'TG4', 'Män')).toBe('<5');
    expect(await figure(page, 'Nya deltagare per åldersgrupp och kön', '30–49 år', 'Män')).toBe('<5');
    expect(await figure(page, 'Nya deltagare per åldersgrupp och kön', '16–24 år', 'Kvinnor')).toBe('0');
    expect(await figure(page, 'Ledtid per steg', 'Accepterad av team', 'Antal')).toBe('8');
    expect(await figure(page, 'Ledtid per steg', 'Accepterad av team', 'Median')).toBe('0 dagar');
    expect(await figure(page, 'Ledtid per steg', 'Accepterad av team', '75:e percentilen')).toBe('0 dagar');
    expect(await figure(page, 'Ledtid per steg', 'Accepterad av team', 'Inom 30 dagar')).toBe('100 %');
    expect(await figure(page, 'Andel som tackat nej', 'Tackade nej', 'Värde')).toBe('0 %');
    // A suppressed figure is left out of the chart, and the page says so under it.
    const newFigure = page.locator('section.figure', {
      has: page.locator('h3', { hasText: 'Nya deltagare per målgrupp och kön' }),
    });
    await expect(newFigure.locator('.figure__note').innerText()).resolves.toMatch(/visas inte i diagrammet/);
    const chart = newFigure.locator('svg[role="img"]');
    expect(await chart.getAttribute('aria-label')).toMatch(
      /^Stapeldiagram: Nya deltagare per målgrupp och kön/,
    );
    await context.close();
  });

  it("saves a table as the API's CSV file for Swedish Excel", async () => {
    const { stack, browser } = started;
    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'steering-group-member', '/app/follow-up');
    const newFigure = page.locator('section.figure', {
      has: page.locator('h3', { hasText: 'Nya deltagare per månad och målgrupp' }),
    });
    await newFigure.locator('table').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      newFigure.getByRole('button', { name: 'Ladda ner CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `frontdesk-participants-new-${month().slice(0, 4)}-01-${month()}.csv`,
    );
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('period;targetGroup;value;n;suppressed');
    expect(lines).toContain(`${month()};TG4;8;8;false`);

    // The equality figures have no CSV of the API's own: the file is the page's tables, the same way.
    const equality = page.locator('section.figure', {
      has: page.locator('h3', { hasText: 'Kvinnor och män' }),
    });
    const [own] = await Promise.all([
      page.waitForEvent('download'),
      equality.getByRole('button', { name: 'Ladda ner CSV' }).click(),
    ]);
    expect(own.suggestedFilename()).toBe(`uppfoljning-equity-${month().slice(0, 4)}-01-${month()}.csv`);
    const text = await readFile((await own.path()) ?? '', 'utf8');
    expect(text.startsWith('\uFEFFMått;Kvinnor;Män;Skillnad;Kvot\r\n')).toBe(true);
    expect(text).toContain('Andel som uppfyller kraven;<5;<5;–;–');
    await context.close();
  });

  it('shows another period when asked', async () => {
    const { stack, browser } = started;
    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'steering-group-member', '/app/follow-up');
    await table(page, 'Nya deltagare per månad').waitFor();
    await page.getByLabel('Den här månaden').check();
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('period') === 'month');
    const caption = table(page, 'Nya deltagare per månad').locator('caption');
    await caption.waitFor();
    // A new page: reading starts at its heading.
    expect(await page.evaluate<boolean>("document.activeElement === document.querySelector('main h1')")).toBe(
      true,
    );
    expect(await page.getByLabel('Den här månaden').isChecked()).toBe(true);
    expect(await table(page, 'Nya deltagare per månad').locator('tbody tr').count()).toBe(1);
    await context.close();
  });

  it("tells a team that the figures are its own team's", async () => {
    const { stack, browser } = started;
    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'labour-market-team', '/app/follow-up');
    await table(page, 'Nya deltagare per månad').waitFor();
    expect(await page.locator('.notice', { hasText: 'Siffrorna gäller ditt team' }).innerText()).toContain(
      'Kommunens arbetsmarknadsenhet',
    );
    expect(await page.locator('nav a', { hasText: 'Uppföljning' }).count()).toBe(1);
    await context.close();
  });

  it('is not for an agency', async () => {
    const { stack, browser } = started;
    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'municipality-officer', '/app/follow-up');
    await page.locator('main h1').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('Du har inte tillgång till sidan');
    expect(await page.locator('nav a', { hasText: 'Uppföljning' }).count()).toBe(0);
    await context.close();
  });

  for (const lang of ['sv', 'en'] as const) {
    it(`has no accessibility violations in ${lang === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const { stack, browser } = started;
      const { page, context } = await newPage(browser, { lang });
      await signIn(page, stack.url, 'steering-group-member', '/app/follow-up');
      await page.locator('table.table--figures').first().waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      if (lang === 'en') {
        expect(await page.locator('main h1').innerText()).toBe('Follow-up');
        expect(await page.locator('main h2').allInnerTexts()).toEqual(
          expect.arrayContaining(['Participants', 'Lead times', 'Outcomes', 'Targets', 'Equality']),
        );
      }
      expect(describeViolations(await axeViolations(page))).toEqual([]);
      await context.close();
    });
  }
});
