import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, sqs } from '../../shared/clients.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** "A referral that got a 2xx is routed eventually, whatever fails in between." */
let stack: TestStack;
const EMPLOYMENT = ['agency-employment-service'];

beforeAll(async () => {
  stack = await startTestStack({ visibilityTimeoutSeconds: 1 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await stack.stopConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

/** Makes the next `times` SendMessage calls to queues whose URL ends with `queueName` fail. */
function failSendsTo(queueName: string, times: number) {
  const original = sqs.send.bind(sqs);
  let left = times;
  return vi.spyOn(sqs, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
    if (
      command instanceof SendMessageCommand &&
      command.input.QueueUrl?.endsWith(`/${queueName}`) &&
      left > 0
    ) {
      left -= 1;
      return Promise.reject(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    }
    return (original as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as typeof sqs.send);
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}

describe('a referral that got a 2xx', () => {
  it('is routed by the scheduled re-drive when the hand-over to screening failed', async () => {
    failSendsTo(stack.screeningQueue, 1);
    stack.startConsumer();

    const accepted = await stack.submit(referralBody('employment-service'), EMPLOYMENT);

    expect(accepted.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await stack.getReferral(accepted.body.referralId)).body.status).toBe('RECEIVED');

    const redriven = await stack.redrive(0);

    expect(redriven.requeued).toBeGreaterThanOrEqual(1);
    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED');
    expect(view.body.status).toBe('ROUTED');
    const messages = await eventually(
      () => stack.drain(stack.teamQueue('employment-service')),
      (found) => found.some((message) => message.caseId === accepted.body.caseId),
    );
    expect(messages.filter((message) => message.caseId === accepted.body.caseId)).toHaveLength(1);
  });

  it('reaches the team when the first send to the team queue fails', async () => {
    failSendsTo(stack.teamQueue('labour-market-unit'), 1);
    stack.startConsumer();

    const accepted = await stack.submit(referralBody('municipality'), ['agency-municipality']);

    const found: any[] = [];
    await eventually(
      async () => {
        found.push(...(await stack.drain(stack.teamQueue('labour-market-unit'))));
        return found;
      },
      (messages) => messages.some((message) => message.caseId === accepted.body.caseId),
    );
    expect(found.filter((message) => message.caseId === accepted.body.caseId)).toHaveLength(1);
    // Nothing is left owing: the outbox is empty and the case no longer waits in the re-drive's index
    // (it may keep a timer there: its teams' service levels).
    const caseItem = await eventually(
      async () =>
        (await stack.items()).find(
          (item) => item.pk?.S === `CASE#${accepted.body.caseId}` && item.sk?.S === 'CASE',
        ),
      (item) => item !== undefined && item.pendingPk?.S !== 'PENDING',
    );
    expect(caseItem).toBeDefined();
    expect(caseItem?.pendingPk?.S).not.toBe('PENDING');
    expect(caseItem?.outbox?.L).toEqual([]);
  });

  it('is routed when the database fails once during screening', async () => {
    const original = dynamo.send.bind(dynamo);
    let failed = false;
    // The screening's save is the transaction that writes the teams' work-list items.
    type Command = { input?: { TransactItems?: { Put?: { Item?: { sk?: string } } }[] } };
    const isScreeningSave = (command: Command) =>
      command.input?.TransactItems?.some((item) => item.Put?.Item?.sk?.startsWith('TEAM#')) ?? false;
    vi.spyOn(dynamo, 'send').mockImplementation(((command: Command, ...rest: unknown[]) => {
      if (!failed && isScreeningSave(command)) {
        failed = true;
        return Promise.reject(
          Object.assign(new Error('Throttled'), { name: 'ProvisionedThroughputExceededException' }),
        );
      }
      return (original as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof dynamo.send);
    stack.startConsumer();

    const accepted = await stack.submit(referralBody('social-insurance'), ['agency-social-insurance']);

    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', ['agency-social-insurance']);
    expect(failed).toBe(true);
    expect(view.body.status).toBe('ROUTED');
  });

  it('leaves nothing for the re-drive once every case is routed', async () => {
    stack.startConsumer();
    const accepted = await stack.submit(referralBody('employment-service'), EMPLOYMENT);
    await stack.waitForStatus(accepted.body.referralId, 'ROUTED');
    await eventually(
      () => stack.items(),
      (items) => items.every((item) => item.pendingPk?.S !== 'PENDING'),
    );
    expect((await stack.redrive(0)).requeued).toBe(0);
  });
});

describe('a poison message', () => {
  it('ends in the screening dead-letter queue after the allowed receives', async () => {
    stack.startConsumer();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrls[stack.screeningQueue],
        MessageBody: '{"not":"a request"}',
      }),
    );

    const deadLetters = await eventually(
      () => stack.approximateCount(stack.deadLetterQueue(stack.screeningQueue)),
      (count) => count >= 1,
      30_000,
    );

    expect(deadLetters).toBe(1);
    expect(await stack.approximateCount(stack.screeningQueue)).toBe(0);
  }, 45_000);
});
