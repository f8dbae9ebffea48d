import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { clientCredentialsToken } from '../../scripts/client-token.js';
import { pollOnce } from '../../scripts/team-consumer.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * Systems without a person (CONTRACT.md v1.1, machine clients), against the whole local runtime: an
 * agency's system submits and follows a referral, a team's system consumes its queue, reads the case,
 * accepts and closes it, all with client-credentials tokens from POST /local/oauth2/token, and the
 * audit trail names each system's client id.
 */
let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sqsPort: 0, quiet: true, web: false });
  sqs = new SQSClient({
    endpoint: stack.sqsEndpoint,
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
}, 120_000);
afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

const system = (clientId: string) =>
  clientCredentialsToken({
    tokenUrl: `${stack.url}/local/oauth2/token`,
    clientId,
    clientSecret: 'local-secret',
  });

async function call(token: () => Promise<string>, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await token()}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const response = await fetch(`${stack.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as any };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('machine clients with client credentials', () => {
  it('an agency system submits and follows; a team system consumes, reads, accepts and closes', async () => {
    // Prepare: two systems, each with its own token from the local token endpoint.
    const agency = system('agency-municipality-system');
    const team = system('team-labour-market-unit-system');

    // Act: the municipality's system submits a referral that screening routes to the labour-market unit.
    const submitted = await call(agency, '/referrals', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'case-management-4711' },
      body: JSON.stringify(referralBody('municipality', { situation: { financialAssistanceMonths: 11 } })),
    });
    expect(submitted.status).toBe(202);
    const { referralId, caseId } = submitted.body as { referralId: string; caseId: string };

    const routed = await eventually(async () => {
      const { body } = await call(agency, `/referrals/${referralId}`);
      return body.status === 'ROUTED' ? body : undefined;
    });
    expect(routed.screening.routes).toContain('labour-market-unit');
    const listed = await call(agency, '/referrals');
    expect(listed.body.items.map((item: { referralId: string }) => item.referralId)).toContain(referralId);

    // Act: the team's system consumes its queue, then works the case through the API.
    const lines: string[] = [];
    const seen = new Set<string>();
    let handled = 0;
    for (let poll = 0; poll < 20 && !seen.size; poll++) {
      handled += (
        await pollOnce({
          team: 'labour-market-unit',
          apiUrl: stack.url,
          token: team,
          sqs,
          queueUrl: stack.queueUrls['frontdesk-labour-market-unit']!,
          waitTimeSeconds: 1,
          seen,
          print: (line) => lines.push(line),
        })
      ).handled;
    }
    expect(handled).toBe(1);
    expect(lines.join('\n')).toContain(`case     ${caseId}`);

    const read = await call(team, `/cases/${caseId}`);
    expect(read.status).toBe(200);
    for (const body of [
      { type: 'accepted', team: 'labour-market-unit' },
      { type: 'closed', team: 'labour-market-unit', outcome: 'employment' },
    ]) {
      const posted = await call(team, `/cases/${caseId}/events`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    }

    // Assess: the agency's system sees the outcome; the audit trail names each system as the actor.
    const closed = await call(agency, `/referrals/${referralId}`);
    expect(closed.body.history.map((step: { event: string }) => step.event)).toContain('closed');
    const admin = await stack.issueToken('admin');
    const audit = await call(() => Promise.resolve(admin), `/cases/${caseId}/audit`);
    const actors = audit.body.items.map((entry: { action: string; subject: string }) => [
      entry.action,
      entry.subject,
    ]);
    expect(actors).toEqual(
      expect.arrayContaining([
        ['referral-submitted', 'agency-municipality-system'],
        ['read', 'team-labour-market-unit-system'],
        ['accepted', 'team-labour-market-unit-system'],
        ['closed', 'team-labour-market-unit-system'],
      ]),
    );
  }, 60_000);

  it('gives a system exactly the rights of its group, no more', async () => {
    const agency = system('agency-employment-service-system');
    const team = system('team-front-desk-system');

    expect((await call(agency, '/cases?team=front-desk')).status).toBe(403);
    expect(
      (
        await call(team, '/referrals', {
          method: 'POST',
          body: JSON.stringify(referralBody('employment-service')),
        })
      ).status,
    ).toBe(403);
    expect((await call(team, '/referrals')).status).toBe(403);
    expect((await call(team, '/cases?team=front-desk')).status).toBe(200);
  });
});
