import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createCaseTable } from '../local/dynamodb-local.js';
import type { LocalStack } from '../local/runtime.js';
import {
  apiEvent,
  type ColdStartCase,
  type ColdStartEngines,
  type ColdStartSample,
  lambdaEnvironment,
  measureColdStarts,
  sqsEvent,
} from './cold-load.js';
import type { BuiltBundle } from './lib/functions.js';
import { benchReferral } from './lib/referral-body.js';

const PREFIX = 'frontdesk-bench-cold-start';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * A table and queues of their own on the stack's engines, so that what the first invokes write stays
 * out of the figures of sections 3–5 (and no poller of the stack consumes their messages).
 */
export async function coldStartEngines(stack: LocalStack, personKey: string): Promise<ColdStartEngines> {
  const tableName = `${PREFIX}-${randomUUID().slice(0, 8)}`;
  const dynamo = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    endpoint: stack.sqsEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await createCaseTable(dynamo, tableName);
    const queueUrl = async (name: string) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${tableName}-${name}` }));
      if (!QueueUrl) throw new Error(`No URL for the queue ${name}`);
      return QueueUrl;
    };
    const teamQueueUrls: Record<string, string> = {};
    for (const team of stack.deployment.teams) teamQueueUrls[team] = await queueUrl(`team-${team}`);
    return {
      dynamoEndpoint: stack.dynamoEndpoint,
      sqsEndpoint: stack.sqsEndpoint,
      region: stack.region,
      tableName,
      screeningQueueUrl: await queueUrl('screening'),
      teamQueueUrls,
      deployment: stack.deployment,
      personKey,
    };
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
}

const OFFICER = ['agency-employment-service'];
const FRONT_DESK = ['team-front-desk'];
const ADMIN = ['admins'];
const STEERING = ['steering-group'];

/**
 * The first invoke of each function: a request that does its real work against the engines (reads of
 * the referral and case that an untimed submit left, a new person for every submit, a year of
 * statistics), or, where a repeated write would change what the next start does, a well-formed request
 * for a case that does not exist (post-case-event, post-case-note, post-case-follow-up, screen-case),
 * which still reads the table before answering. snapshot-stats has none: its first run writes the
 * month's snapshot, which every later run finds and skips.
 */
function firstEvents(seed: {
  referralId: string;
  caseId: string;
}): Record<string, (run: number, variant: number) => unknown> {
  const missingCase = randomUUID();
  return {
    'get-health': () => apiEvent({ method: 'GET', resource: '/health', groups: [] }),
    'get-openapi': () => apiEvent({ method: 'GET', resource: '/openapi.json', groups: [] }),
    'submit-referral': (run, variant) =>
      apiEvent({
        method: 'POST',
        resource: '/referrals',
        // A new person per start (the same person would join the open case, another write path).
        body: benchReferral(7000 + variant * 200 + run + 1),
        headers: { 'Idempotency-Key': randomUUID() },
        groups: OFFICER,
      }),
    'list-referrals': () => apiEvent({ method: 'GET', resource: '/referrals', groups: OFFICER }),
    'get-referral': () =>
      apiEvent({
        method: 'GET',
        resource: '/referrals/{referralId}',
        pathParameters: { referralId: seed.referralId },
        groups: OFFICER,
      }),
    'list-cases': () =>
      apiEvent({ method: 'GET', resource: '/cases', query: { team: 'front-desk' }, groups: FRONT_DESK }),
    'get-case': () =>
      apiEvent({
        method: 'GET',
        resource: '/cases/{caseId}',
        pathParameters: { caseId: seed.caseId },
        groups: FRONT_DESK,
      }),
    'get-case-audit': () =>
      apiEvent({
        method: 'GET',
        resource: '/cases/{caseId}/audit',
        pathParameters: { caseId: seed.caseId },
        groups: ADMIN,
      }),
    'post-case-event': () =>
      apiEvent({
        method: 'POST',
        resource: '/cases/{caseId}/events',
        pathParameters: { caseId: missingCase },
        body: { type: 'accepted', team: 'front-desk' },
        groups: FRONT_DESK,
      }),
    'post-case-note': () =>
      apiEvent({
        method: 'POST',
        resource: '/cases/{caseId}/notes',
        pathParameters: { caseId: missingCase },
        body: { team: 'front-desk', text: 'Ringde klienten; återkommer på måndag.' },
        groups: FRONT_DESK,
      }),
    'post-case-follow-up': () =>
      apiEvent({
        method: 'POST',
        resource: '/cases/{caseId}/follow-ups',
        pathParameters: { caseId: missingCase },
        body: { milestone: '6m', selfSufficient: true },
        groups: FRONT_DESK,
      }),
    // Statistics reads: each answers from the aggregates (12 months × 128 keys) and audits the read.
    'get-stats': () =>
      apiEvent({
        method: 'GET',
        resource: '/stats',
        query: { indicator: 'participants-new', groupBy: 'targetGroup,gender' },
        groups: STEERING,
      }),
    'get-stats-indicators': () =>
      apiEvent({ method: 'GET', resource: '/stats/indicators', groups: STEERING }),
    'get-stats-equity': () => apiEvent({ method: 'GET', resource: '/stats/equity', groups: STEERING }),
    'screen-case': () =>
      sqsEvent(
        { type: 'case.screening-requested', caseId: missingCase },
        'arn:aws:sqs:eu-north-1:123456789012:frontdesk-screening',
      ),
    'redrive-cases': () => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'eu-north-1',
      resources: [],
      detail: {},
    }),
  };
}

export type Variant = { name: string; built: readonly BuiltBundle[] };

export type ColdStartFigures = {
  fn: string;
  variant: string;
  importMs: number[];
  totalMs: number[];
  answers: string[];
};

/**
 * Times import and import + first invoke of every function of every variant (the reference commit's
 * bundles and this checkout's), interleaved in one run. An untimed submit through the last variant
 * first leaves the referral and case that the reads find.
 */
export async function measureVariants(
  engines: ColdStartEngines,
  variants: readonly Variant[],
  runs: number,
  isStopped: () => boolean,
): Promise<{
  figures: ColdStartFigures[];
  seed: { referralId: string; caseId: string };
  withoutEvent: string[];
}> {
  const seedVariant = variants[variants.length - 1];
  const submit = seedVariant?.built.find((bundle) => bundle.fn === 'submit-referral');
  if (!submit) throw new Error('No submit-referral bundle to seed the first invokes with');
  const seedEvent = apiEvent({
    method: 'POST',
    resource: '/referrals',
    body: benchReferral(6999),
    groups: OFFICER,
  });
  const seeded = await measureColdStarts(
    [
      {
        id: 'seed',
        fn: 'submit-referral',
        bundle: submit,
        environment: lambdaEnvironment(engines, 'submit-referral', submit),
        event: () => seedEvent,
      },
    ],
    0,
    isStopped,
  );
  const body = seeded.warmups.get('seed')?.body;
  const seed = JSON.parse(body ?? 'null') as { referralId?: string; caseId?: string } | null;
  if (!seed?.referralId || !seed.caseId) throw new Error(`The seed referral was not accepted: ${body}`);
  const events = firstEvents({ referralId: seed.referralId, caseId: seed.caseId });

  const cases: ColdStartCase[] = [];
  const withoutEvent = new Set<string>();
  // Function by function, the variants next to each other: a round starts each function's reference
  // and current bundle one after the other, so their ratio in that round shares the machine's moment.
  const functionNames = [...new Set(variants.flatMap((variant) => variant.built.map((bundle) => bundle.fn)))];
  const pairs = functionNames.flatMap((fn) =>
    variants.flatMap((variant, variantIndex) => {
      const bundle = variant.built.find((candidate) => candidate.fn === fn);
      return bundle ? [{ variant, variantIndex, bundle }] : [];
    }),
  );
  for (const { variant, variantIndex, bundle } of pairs) {
    const event = events[bundle.fn];
    if (!event) {
      withoutEvent.add(bundle.fn);
      continue;
    }
    cases.push({
      id: `${variant.name}:${bundle.fn}`,
      fn: bundle.fn,
      bundle,
      environment: lambdaEnvironment(engines, bundle.fn, bundle),
      event: (run) => event(run, variantIndex),
    });
  }
  const { samples } = await measureColdStarts(cases, runs, isStopped);
  const figures = cases.map((target) => {
    const runs: ColdStartSample[] = samples.get(target.id) ?? [];
    const [variant = ''] = target.id.split(':');
    return {
      fn: target.fn,
      variant,
      importMs: runs.map((sample) => sample.importMs),
      totalMs: runs.map((sample) => sample.totalMs),
      answers: runs.map((sample) => sample.answer),
    };
  });
  return {
    figures,
    seed: { referralId: seed.referralId, caseId: seed.caseId },
    withoutEvent: [...withoutEvent],
  };
}
