import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { type ConsumerOptions, pollOnce } from '../../scripts/team-consumer.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';

/** The reference consumer against the whole local system, over HTTP and the SQS wire protocol. */
let stack: LocalStack;
let sqs: SQSClient;
const queue = 'frontdesk-labour-market-unit';

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dynamoPort: 0,
    sqsPort: 0,
    quiet: true,
    visibilityTimeoutSeconds: 1,
  });
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

function consumer(
  lines: string[],
  seen = new Set<string>(),
  held?: ConsumerOptions['held'],
): ConsumerOptions {
  return {
    team: 'labour-market-unit',
    apiUrl: stack.url,
    token: () => stack.issueToken('labour-market-team'),
    sqs,
    queueUrl: stack.queueUrls[queue]!,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 1,
    seen,
    ...(held ? { held } : {}),
    print: (line) => lines.push(line),
  };
}

async function submit(user: string, body: unknown) {
  const token = await stack.issueToken(user);
  const response = await fetch(`${stack.url}/referrals`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { caseId: string }).caseId;
}

const submitToLabour = (personalIdentityNumber?: string) =>
  submit(
    'municipality-officer',
    referralBody('municipality', {
      situation: { financialAssistanceMonths: 11 },
      ...(personalIdentityNumber ? { person: { personalIdentityNumber } } : {}),
    }),
  );

/** Polls until the consumer has handled `count` messages. */
async function handleMessages(options: ConsumerOptions, count = 1) {
  let handled = 0;
  for (let poll = 0; poll < 20 && handled < count; poll++) handled += (await pollOnce(options)).handled;
  return handled;
}

const count = async (name: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queueUrls[name],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
};

describe('the reference team consumer', () => {
  it('fetches each routed case with the team token, prints a summary and deletes the message', async () => {
    const caseId = await submitToLabour();
    const lines: string[] = [];
    const seen = new Set<string>();

    expect(await handleMessages(consumer(lines, seen))).toBe(1);
    expect(lines.join('\n')).toMatch(
      new RegExp(`case\\s+${caseId}.*priority=normal.*groups=TG4.*referrals=1 \\(municipality\\)`),
    );
    expect(lines.join('\n')).not.toMatch(/\d{8}-?\d{4}/);
    expect(await count(queue)).toBe(0);

    // The same message delivered again is recognised by its messageId and removed without a second fetch.
    const repeat = {
      type: 'case.routed',
      messageId: [...seen][0],
      caseId,
      reference: 'FD-2026-00001',
      team: 'labour-market-unit',
      priority: 'normal',
      targetGroups: ['TG4'],
      jointAssessment: false,
      routedAt: new Date().toISOString(),
      rulesetVersion: 'timra-2026.1',
    };
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrls[queue], MessageBody: JSON.stringify(repeat) }),
    );
    const again = await pollOnce(consumer(lines, seen));
    expect(again).toEqual({ handled: 0, duplicates: 1, failed: 0 });
    expect(await count(queue)).toBe(0);
  });

  it('deletes what it holds of a case the client no longer lets the team have', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const caseId = await submitToLabour(personalIdentityNumber);
    const lines: string[] = [];
    const held: NonNullable<ConsumerOptions['held']> = new Map();
    const options = consumer(lines, new Set(), held);
    expect(await handleMessages(options)).toBe(1);
    expect(held.has(caseId)).toBe(true);

    // A later referral's consent covers only the employment service: the unit loses the case.
    const joined = await submit(
      'employment-officer',
      referralBody('employment-service', {
        person: { personalIdentityNumber },
        consent: { recipients: ['employment-service'] },
      }),
    );
    expect(joined).toBe(caseId);

    expect(await handleMessages(options)).toBe(1);
    expect(held.has(caseId)).toBe(false);
    expect(lines.at(-1)).toMatch(new RegExp(`^withdrawn ${caseId}\\s+reason=consent-not-covering`));
    expect(await count(queue)).toBe(0);
  });

  it('leaves a poison message to reach the dead-letter queue after the receive limit', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrls[queue], MessageBody: '{"type":"something else"}' }),
    );
    const lines: string[] = [];

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await count(`${queue}-dlq`)) === 0) {
      await pollOnce(consumer(lines));
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }

    expect(await count(`${queue}-dlq`)).toBe(1);
    expect(await count(queue)).toBe(0);
    expect(lines[0]).toMatch(/^poison/);
  }, 45_000);
});
