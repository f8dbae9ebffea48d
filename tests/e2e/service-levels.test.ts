import { afterAll, describe, expect, it } from 'vitest';
import { newPage, signIn, useStackAndBrowser } from '../helpers/browser.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * CONTRACT.md v1.1, "Service levels and escalation", in a real browser: with
 * FRONTDESK_ACCEPT_WITHIN=PT1S a team has one second to accept, and its work list marks the case
 * overdue until it does.
 */
const before = process.env.FRONTDESK_ACCEPT_WITHIN;
// Read by the functions at their cold start, which comes with the stack below.
process.env.FRONTDESK_ACCEPT_WITHIN = 'PT1S';

describe('service levels in the work list', () => {
  const started = useStackAndBrowser();
  afterAll(() => {
    if (before === undefined) delete process.env.FRONTDESK_ACCEPT_WITHIN;
    else process.env.FRONTDESK_ACCEPT_WITHIN = before;
  });

  it('marks a case its team has not accepted in time as overdue', async () => {
    const { stack, browser } = started;
    const token = await stack.issueToken('municipality-officer');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const accepted = await fetch(`${stack.url}/referrals`, {
      method: 'POST',
      headers,
      body: JSON.stringify(referralBody('municipality')),
    });
    const { referralId } = (await accepted.json()) as { referralId: string };
    let reference = '';
    for (let tries = 0; tries < 100 && !reference; tries++) {
      const view = (await (await fetch(`${stack.url}/referrals/${referralId}`, { headers })).json()) as {
        status: string;
        reference: string;
      };
      if (view.status === 'ROUTED') reference = view.reference;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(reference).toMatch(/^FD-/);
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const { page, context } = await newPage(browser);
    await signIn(page, stack.url, 'labour-market-team', '/app/cases');
    const row = page.locator('tbody tr', { hasText: reference });
    await row.locator('.tag', { hasText: 'Försenat' }).waitFor();
    await context.close();
  });
});
