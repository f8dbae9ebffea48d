import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, sqs } from '../../shared/clients.js';
import { type Agency, FRONT_DESK } from '../../shared/config/deployment.js';
import type { ApiResponse } from '../helpers/events.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * "Never lost, proven" (issue 11): while referrals (three agencies, some for the same person, most with
 * an Idempotency-Key) and case events (accept, decline, close) flow, every DynamoDB and SQS call site
 * of the functions fails once — throttled, timed out (sometimes after the write went through), reset,
 * or a transaction lost to a conditional-check race. Clients retry what failed as clients do; then the
 * scheduled re-drive runs until nothing waits, and the table and the team queues must add up.
 *
 * The schedule (which call of each site fails, and whether a timeout or reset comes after the write)
 * is drawn by fast-check with a fixed seed; the failure kind cycles per run, so over RUNS runs every
 * site fails with every kind that applies to it.
 */

const RUNS = 4;
const SEED = 110_2026;

type Kind = 'throttle' | 'timeout' | 'reset' | 'race';
type SitePlan = { nth: number; after: boolean; raceAt: number };
type Injection = { site: string; kind: Kind; after: boolean };

/**
 * The call sites: each command the functions send, told apart by what it touches. A site not listed
 * here is still counted (and reported), but only listed ones fail.
 */
const DYNAMO_SITES = [
  'Get PERSON',
  'Get CASE',
  'Get IDEMPOTENCY',
  'Get REFERRAL',
  'BatchGet',
  'Query byTeam',
  'Query pending',
  'Query table',
  'Put CASE',
  'Put AUDIT',
  'Update COUNTER',
  'TransactWrite accept',
  'TransactWrite event',
  'TransactWrite save',
] as const;
const SQS_SITES = ['SendMessage screening', 'SendMessage team'] as const;
const SITES: readonly string[] = [...DYNAMO_SITES, ...SQS_SITES];

const kindsFor = (site: string): Kind[] =>
  site.startsWith('TransactWrite')
    ? ['throttle', 'timeout', 'reset', 'race']
    : ['throttle', 'timeout', 'reset'];

const prefixOf = (key: unknown) => String(key ?? '').split('#')[0];

function dynamoSite(command: unknown): string {
  if (command instanceof GetCommand) return `Get ${prefixOf(command.input.Key?.pk)}`;
  if (command instanceof BatchGetCommand) return 'BatchGet';
  if (command instanceof QueryCommand) return `Query ${command.input.IndexName ?? 'table'}`;
  if (command instanceof PutCommand) {
    const sk = String(command.input.Item?.sk ?? '');
    return `Put ${sk.startsWith('AUDIT#') ? 'AUDIT' : prefixOf(command.input.Item?.pk)}`;
  }
  if (command instanceof UpdateCommand) return `Update ${prefixOf(command.input.Key?.pk)}`;
  if (command instanceof TransactWriteCommand) {
    const pks = (command.input.TransactItems ?? []).map((item) =>
      String(item.Put?.Item?.pk ?? item.ConditionCheck?.Key?.pk ?? item.Update?.Key?.pk ?? ''),
    );
    if (pks.some((pk) => pk.startsWith('REFERRAL#'))) return 'TransactWrite accept';
    if (pks.some((pk) => pk.startsWith('IDEMPOTENCY#EVENT#'))) return 'TransactWrite event';
    return 'TransactWrite save';
  }
  return (command as object).constructor.name;
}

function sqsSite(command: unknown): string {
  if (command instanceof SendMessageCommand)
    return `SendMessage ${command.input.QueueUrl?.endsWith('-screening') ? 'screening' : 'team'}`;
  return (command as object).constructor.name;
}

/** The error each kind throws, as the SDK or Node.js would. */
function failure(kind: Kind, service: 'dynamo' | 'sqs', command: unknown, raceAt: number): Error {
  switch (kind) {
    case 'throttle':
      return service === 'dynamo'
        ? Object.assign(new Error('The level of configured provisioned throughput was exceeded'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          })
        : Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
    case 'timeout':
      return Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    case 'reset':
      return Object.assign(new Error('read ECONNRESET'), {
        code: 'ECONNRESET',
        errno: -104,
        syscall: 'read',
      });
    case 'race': {
      // One of the items that has a condition loses the race; the others are "None", as DynamoDB says.
      const items = (command as TransactWriteCommand).input.TransactItems ?? [];
      const conditional = items.flatMap((item, index) =>
        item.ConditionCheck || item.Put?.ConditionExpression || item.Delete?.ConditionExpression
          ? [index]
          : [],
      );
      const losing = conditional[raceAt % Math.max(conditional.length, 1)] ?? 0;
      const reasons = items.map((_, index) =>
        index === losing
          ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
          : { Code: 'None' },
      );
      return Object.assign(
        new Error(
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        ),
        {
          name: 'TransactionCanceledException',
          CancellationReasons: reasons,
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        },
      );
    }
  }
}

/** Which request (if any) an injected failure hit: set per client attempt. */
const requestContext = new AsyncLocalStorage<{ injected: boolean }>();

/**
 * Wraps the shared clients' `send`: the n-th call of each planned site fails once, with the run's kind
 * for that site. A timeout or reset planned `after` lets the call through first (the write happened,
 * the answer was lost).
 */
class Injector {
  active = false;
  private plans = new Map<string, SitePlan & { kind: Kind }>();
  private calls = new Map<string, number>();
  readonly injected: Injection[] = [];
  readonly seen = new Set<string>();

  plan(run: number, schedule: SitePlan[]) {
    this.plans.clear();
    this.calls.clear();
    SITES.forEach((site, index) => {
      const kinds = kindsFor(site);
      this.plans.set(site, { ...schedule[index]!, kind: kinds[(run + index) % kinds.length]! });
    });
  }

  install() {
    for (const [service, client, siteOf] of [
      ['dynamo', dynamo, dynamoSite],
      ['sqs', sqs, sqsSite],
    ] as const) {
      const original = (client.send as (...args: unknown[]) => Promise<unknown>).bind(client);
      vi.spyOn(client, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
        const site = siteOf(command);
        this.seen.add(site);
        const plan = this.active ? this.plans.get(site) : undefined;
        if (!plan) return original(command, ...rest);
        const count = (this.calls.get(site) ?? 0) + 1;
        this.calls.set(site, count);
        if (count !== plan.nth) return original(command, ...rest);
        const after = plan.after && (plan.kind === 'timeout' || plan.kind === 'reset');
        this.injected.push({ site, kind: plan.kind, after });
        const context = requestContext.getStore();
        if (context) context.injected = true;
        const error = failure(plan.kind, service, command, plan.raceAt);
        return after
          ? original(command, ...rest).then(
              () => Promise.reject(error),
              () => Promise.reject(error),
            )
          : Promise.reject(error);
      }) as never);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: TestStack;
let table: DynamoDBDocumentClient;
const injector = new Injector();

/** What clients saw: every attempt's status, and whether a failure was injected into it. */
type Attempt = { label: string; status: number; injected: boolean; detail?: string };
const attempts: Attempt[] = [];
/** Every message taken from the team queues (all of them: nothing else reads them). */
const messages: any[] = [];

beforeAll(async () => {
  stack = await startTestStack({ visibilityTimeoutSeconds: 1 });
  table = DynamoDBDocumentClient.from(stack.dynamo);
  injector.install();
  stack.startConsumer();
});
afterAll(async () => {
  injector.active = false;
  vi.restoreAllMocks();
  await stack?.stop();
});

/**
 * A 409 that says the case kept changing: several teams acting on one case at once (a write race the
 * product answers with "read it again and retry"), not a fault; the client does as it says.
 */
const busy = (response: ApiResponse) =>
  response.status === 409 && String(response.body?.detail).includes('kept changing');

async function attempt(label: string, send: () => Promise<ApiResponse>) {
  const context = { injected: false };
  const response = await requestContext.run(context, send);
  attempts.push({
    label,
    status: response.status,
    injected: context.injected,
    ...(response.status >= 400 ? { detail: String(response.body?.detail ?? response.body?.title) } : {}),
  });
  return { response, injected: context.injected };
}

/**
 * A client: sends, and after a 5xx (or a 409 that an injected race caused) sends the very same
 * request again, Idempotency-Key and all; a client without a key does not retry a POST.
 */
async function client(label: string, send: () => Promise<ApiResponse>, retry: boolean) {
  let failed = false;
  for (let round = 0; round < 8; round++) {
    const { response, injected } = await attempt(label, send);
    if (response.status < 300) return { response, failedFirst: failed };
    failed = true;
    const retryable = response.status >= 500 || (injected && response.status === 409) || busy(response);
    if (!retry || !retryable) return { response, failedFirst: failed };
    await sleep(30 * (round + 1));
  }
  throw new Error(`${label}: still failing after 8 attempts`);
}

async function scan(): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await table.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const casesIn = (items: Record<string, any>[]) => items.filter((item) => item.sk === 'CASE');

async function drainTeams() {
  for (const team of stack.deployment.teams) messages.push(...(await stack.drain(stack.teamQueue(team))));
}

/** The scheduled re-drive, run like the schedule runs it (a failed run is retried by the next one). */
async function redrive() {
  await requestContext.run({ injected: false }, () => stack.redrive(0)).catch(() => undefined);
}

/** Runs the re-drive until no case waits for screening or delivery and the screening queue is empty. */
async function untilQuiet(timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    const waiting = casesIn(await scan()).filter(
      (item) => item.pendingPk === 'PENDING' || (item.outbox?.length ?? 0) > 0,
    );
    const queued = await stack.approximateCount(stack.screeningQueue);
    if (waiting.length === 0 && queued === 0) {
      quietRounds += 1;
      if (quietRounds >= 2) return;
    } else {
      quietRounds = 0;
      if (waiting.length > 0 && queued === 0) await redrive();
    }
    await sleep(400);
  }
  throw new Error('The system did not become quiet');
}

/** Waits until every case named is screened and routed (RECEIVED no more), re-driving meanwhile. */
async function untilRouted(caseIds: Set<string>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cases = casesIn(await scan()).filter((item) => caseIds.has(item.caseId));
    if (cases.length === caseIds.size && cases.every((item) => item.status !== 'RECEIVED')) return cases;
    if (Date.now() > deadline) throw new Error('Cases were not routed in time');
    await redrive();
    await sleep(500);
  }
}

type Submitted = {
  label: string;
  tag: string;
  agency: Agency;
  body: unknown;
  key: string | undefined;
  response: ApiResponse;
  failedFirst: boolean;
};
const submitted: Submitted[] = [];

function submitReferral(run: number, label: string, agency: Agency, pin: string, keyed: boolean) {
  const tag = `fault-injection ${run} ${label} ${randomUUID()}`;
  const body = referralBody(agency, { person: { personalIdentityNumber: pin }, reason: tag });
  const key = keyed ? `fi-${randomUUID()}` : undefined;
  const headers: Record<string, string> = key ? { 'Idempotency-Key': key } : {};
  return client(label, () => stack.submit(body, [`agency-${agency}`], headers), keyed).then(
    ({ response, failedFirst }) => {
      const entry = { label, tag, agency, body, key, response, failedFirst };
      submitted.push(entry);
      return entry;
    },
  );
}

const AGENCIES: Agency[] = ['municipality', 'employment-service', 'social-insurance'];
const teamsOf = (item: Record<string, any>) =>
  Object.values(item.assignments as Record<string, { team: string; state: string }>)
    .filter((assignment) => assignment.state === 'routed')
    .map((assignment) => assignment.team);

function postEvent(caseId: string, team: string, event: Record<string, unknown>) {
  const body = { ...event, team };
  const key = `fi-event-${randomUUID()}`;
  return client(
    `${event.type} ${team}`,
    () => stack.postEvent(caseId, body, [`team-${team}`], { 'Idempotency-Key': key }),
    true,
  );
}

/** A team's work on a case, by the case's place in the run: close it all, decline one, decline all. */
async function work(mode: number, caseId: string, teams: string[]) {
  const others = teams.filter((team) => team !== FRONT_DESK);
  const decline = (team: string) => postEvent(caseId, team, { type: 'declined', reason: 'Not for us' });
  const accept = (team: string) => postEvent(caseId, team, { type: 'accepted' });
  const close = (team: string) => postEvent(caseId, team, { type: 'closed', outcome: 'employment' });
  if (mode === 0) {
    await Promise.all(
      teams.map(async (team) => {
        await accept(team);
        await close(team);
      }),
    );
  } else if (mode === 1) {
    const [declining, ...accepting] = others.length > 0 ? others : [];
    await Promise.all([
      ...(declining ? [decline(declining)] : []),
      ...[...accepting, ...teams.filter((team) => team === FRONT_DESK)].map(accept),
    ]);
  } else {
    // Every team but the front desk declines: the front desk gets the case (again), never orphaned.
    await Promise.all(others.map(decline));
  }
}

/** One run: a workload under this run's fault schedule, then the re-drive until quiet, then the sums. */
async function scenario(run: number, schedule: SitePlan[]) {
  injector.plan(run, schedule);
  injector.active = true;
  const before = submitted.length;
  // The scheduled re-drive runs all along, as EventBridge Scheduler runs it (every 10 s locally).
  const scheduled = setInterval(() => void redrive(), 700);
  try {
    await workload(run, before);
    // However fast the workload was, the re-drive's own queries meet this run's faults too.
    for (let sweep = 0; sweep < 3; sweep++) await redrive();
  } finally {
    clearInterval(scheduled);
    injector.active = false;
  }
  await untilQuiet();
  await drainTeams();
  await check(submitted.slice(before));
}

async function workload(run: number, before: number) {
  // Six people; the first three are referred by two or three agencies at once (one case each).
  const people = Array.from({ length: 6 }, () => uniqueIdentityNumber());
  await Promise.all(
    people.flatMap((pin, person) =>
      AGENCIES.slice(0, person === 0 ? 3 : person < 3 ? 2 : 1).map((agency, index) =>
        // Most agency systems send a key; one referral in four comes without one (and is not retried).
        submitReferral(run, `p${person}-${agency}`, agency, pin, (person + index) % 4 !== 3),
      ),
    ),
  );
  const accepted = () => submitted.slice(before).filter((entry) => entry.response.status === 202);
  const caseIds = new Set(accepted().map((entry) => entry.response.body.caseId as string));
  const routed = await untilRouted(caseIds);

  // The agencies follow their referrals (the closed loop).
  await Promise.all(
    accepted().map((entry) =>
      client(
        'follow referral',
        () => stack.getReferral(entry.response.body.referralId, [`agency-${entry.agency}`]),
        true,
      ),
    ),
  );

  // Teams work their cases; some read them and their lists first.
  const ordered = [...routed].sort((a, b) => String(a.caseId).localeCompare(String(b.caseId)));
  await Promise.all(
    ordered.map(async (item, index) => {
      const teams = teamsOf(item);
      if (teams[0]) {
        await client(
          'read case',
          () => stack.getCase(item.caseId, [`team-${teams[0]}`], `reader-${teams[0]}`),
          true,
        );
      }
      await work(index % 3, item.caseId, teams);
    }),
  );
  for (const team of ['employment-service', FRONT_DESK])
    await client('work list', () => stack.listCases([`team-${team}`], { team }), true);

  // People whose case was closed are referred again: a new case, the closed one's lock gone.
  const closed = casesIn(await scan()).filter((item) => caseIds.has(item.caseId) && item.status === 'CLOSED');
  const pinOf = new Map(
    submitted
      .slice(before)
      .map((entry) => [
        (entry.response.body?.caseId as string) ?? '',
        (entry.body as { person: { personalIdentityNumber: string } }).person.personalIdentityNumber,
      ]),
  );
  await Promise.all(
    closed.map((item, index) =>
      submitReferral(run, `again-${index}`, 'employment-service', pinOf.get(item.caseId)!, true),
    ),
  );
}

/** The sums: nothing lost, nothing doubled, every lock and list as the cases say. */
async function check(runSubmitted: Submitted[]) {
  const items = await scan();
  const cases = new Map(casesIn(items).map((item) => [item.caseId as string, item]));
  const referrals = items.filter((item) => item.sk === 'REFERRAL');

  // Every referral that got a 2xx is stored once, with its case, and the case is routed (or later).
  for (const entry of runSubmitted.filter((e) => e.response.status === 202)) {
    const { referralId, caseId } = entry.response.body;
    const stored = referrals.filter((item) => item.reason === entry.tag);
    expect(
      stored.map((item) => item.referralId),
      entry.label,
    ).toEqual([referralId]);
    expect(stored[0]?.caseId).toBe(caseId);
    const record = cases.get(caseId);
    expect(record, `case of ${entry.label}`).toBeDefined();
    expect(['ROUTED', 'IN_PROGRESS', 'CLOSED']).toContain(record?.status);
    expect(record?.referrals.map((r: { referralId: string }) => r.referralId)).toContain(referralId);
    const view = await stack.getReferral(referralId, [`agency-${entry.agency}`]);
    expect(view.status).toBe(200);
    expect(['ROUTED', 'IN_PROGRESS', 'CLOSED']).toContain(view.body.status);
  }

  // A retry with the same key answers the first answer.
  for (const entry of runSubmitted.filter((e) => e.key && e.response.status === 202)) {
    const again = await stack.submit(entry.body, [`agency-${entry.agency}`], {
      'Idempotency-Key': entry.key!,
    });
    expect(again.status, entry.label).toBe(202);
    expect({ referralId: again.body.referralId, caseId: again.body.caseId }).toEqual({
      referralId: entry.response.body.referralId,
      caseId: entry.response.body.caseId,
    });
  }

  for (const record of cases.values()) {
    // Nothing is owed: not waiting, nothing in the outbox.
    expect(record.pendingPk, record.caseId).not.toBe('PENDING');
    expect(record.outbox).toEqual([]);
    // Every referral the case lists is stored, and every stored referral of the case is listed.
    const listed = record.referrals.map((r: { referralId: string }) => r.referralId).sort();
    const stored = referrals.filter((item) => item.caseId === record.caseId).map((item) => item.referralId);
    expect(stored.sort()).toEqual(listed);

    // Each team got exactly the case.routed messages it is owed: one per `routed` step in the history;
    // a message sent twice carries the same messageId and the same content.
    for (const type of ['case.routed', 'case.withdrawn'] as const) {
      const step = type === 'case.routed' ? 'routed' : 'consent-withdrawn';
      const teams = new Set(
        record.history
          .filter((h: { event: string }) => h.event === step)
          .map((h: { team: string }) => h.team),
      );
      const received = messages.filter((m) => m.type === type && m.caseId === record.caseId);
      for (const team of new Set([...teams, ...received.map((m) => m.team)])) {
        const owed = record.history.filter(
          (h: { event: string; team: string }) => h.event === step && h.team === team,
        ).length;
        const mine = received.filter((m) => m.team === team);
        const byId = new Map<string, any>();
        for (const message of mine) {
          if (byId.has(message.messageId)) expect(message).toEqual(byId.get(message.messageId));
          byId.set(message.messageId, message);
        }
        expect(byId.size, `${type} for ${team} on ${record.caseId}`).toBe(owed);
      }
    }

    // The work lists hold what the case says: one entry per team on it, in the same state.
    const entries = items.filter(
      (item) => item.pk === `CASE#${record.caseId}` && item.sk.startsWith('TEAM#'),
    );
    const assignments = Object.values(record.assignments as Record<string, { team: string; state: string }>);
    expect(entries.map((e) => `${e.team}:${e.state}:${e.caseStatus}`).sort()).toEqual(
      assignments.map((a) => `${a.team}:${a.state}:${record.status}`).sort(),
    );
    if (record.status === 'CLOSED') {
      expect(items.some((item) => item.pk === `STATS#${record.caseId}`)).toBe(true);
    }
  }

  // One person, at most one open case, and its lock names it; no lock is left on a closed case.
  const open = [...cases.values()].filter((record) => record.status !== 'CLOSED');
  const openByPerson = new Map<string, string[]>();
  for (const record of open)
    openByPerson.set(record.personKey, [...(openByPerson.get(record.personKey) ?? []), record.caseId]);
  for (const [, ids] of openByPerson) expect(ids).toHaveLength(1);
  const locks = items.filter((item) => String(item.pk).startsWith('PERSON#'));
  expect(locks.map((lock) => `${lock.pk}->${lock.caseId}`).sort()).toEqual(
    open.map((record) => `PERSON#${record.personKey}->${record.caseId}`).sort(),
  );

  // Case references are distinct and the year's counter is past every one of them.
  const references = [...cases.values()].map((record) => record.reference as string);
  expect(new Set(references).size).toBe(references.length);
  for (const counter of items.filter((item) => item.pk === 'COUNTER#REFERENCE')) {
    const numbers = references
      .filter((reference) => reference.startsWith(`FD-${counter.sk}-`))
      .map((reference) => Number(reference.split('-')[2]));
    expect(Math.max(0, ...numbers)).toBeLessThanOrEqual(Number(counter.value));
  }

  // No 5xx, nor any refusal, that no injected failure explains.
  expect(
    attempts.filter((a) => a.status >= 400 && !a.injected && !a.detail?.includes('kept changing')),
  ).toEqual([]);
}

describe('every DynamoDB and SQS call site failing once, while referrals and events flow', () => {
  it('loses no referral, owes no team a message, leaves no second lock', async () => {
    let run = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            nth: fc.integer({ min: 1, max: 3 }),
            after: fc.boolean(),
            raceAt: fc.nat({ max: 7 }),
          }),
          { minLength: SITES.length, maxLength: SITES.length },
        ),
        async (schedule) => {
          await scenario(run, schedule);
          run += 1;
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    // Every site failed, with every kind that applies to it.
    const fired = new Set(injector.injected.map((i) => `${i.site}/${i.kind}`));
    const missing = SITES.flatMap((site) => kindsFor(site).map((kind) => `${site}/${kind}`)).filter(
      (pair) => !fired.has(pair),
    );
    console.info(
      `fault injection: ${RUNS} runs in ${Date.now() - started} ms; ${injector.injected.length} failures injected ` +
        `(${injector.injected.filter((i) => i.after).length} after the call went through) into ${attempts.length} ` +
        `client attempts; ${submitted.length} referrals (${submitted.filter((s) => s.response.status === 202).length} accepted, ` +
        `${submitted.filter((s) => s.failedFirst && s.response.status === 202).length} after a retry); ` +
        `${messages.length} team messages; ${attempts.filter((a) => a.detail?.includes('kept changing')).length} ` +
        `409 "kept changing" retried; sites seen: ${[...injector.seen].sort().join(', ')}; ` +
        `not injected: ${missing.join(', ') || 'none'}`,
    );
    expect(missing).toEqual([]);
  }, 90_000);
});
