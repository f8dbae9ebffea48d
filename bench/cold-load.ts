import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { DeploymentConfig } from '../shared/config/deployment.js';
import type { BuiltBundle } from './lib/functions.js';

const run = promisify(execFile);
const SPAWN_TIMEOUT_MS = 30_000;

/**
 * What the child runs, in a fresh node process (node's own start-up is not counted): the time of
 * `await import(bundle)`, then of the first `handler(event, context)` against the local engines, and
 * what the handler answered (a status code, or the batch failures of a queue consumer), so that a
 * first invoke that failed early is seen rather than counted as fast.
 */
const CHILD = `
const [url, eventJson, functionName] = process.argv.slice(1);
const started = performance.now();
const module = await import(url);
const imported = performance.now();
if (typeof module.handler !== 'function') {
  console.error('the bundle exports no handler');
  process.exit(2);
}
const deadline = Date.now() + 10_000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:' + functionName,
  memoryLimitInMB: '512',
  awsRequestId: crypto.randomUUID(),
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
let answer;
let body;
try {
  const result = await module.handler(JSON.parse(eventJson), context);
  if (result && typeof result.body === 'string' && result.body.length < 8192) body = result.body;
  answer = result && typeof result.statusCode === 'number'
    ? String(result.statusCode)
    : result && Array.isArray(result.batchItemFailures)
      ? (result.batchItemFailures.length ? result.batchItemFailures.length + ' failed' : 'ok')
      : 'ok';
} catch (error) {
  answer = 'threw ' + (error && error.name);
}
const invoked = performance.now();
console.log(JSON.stringify({ importMs: imported - started, totalMs: invoked - started, answer, body }));
process.exit(0);
`;

/** Where the first invokes go: a table and queues of their own on the bench's local engines. */
export type ColdStartEngines = {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  region: string;
  tableName: string;
  screeningQueueUrl: string;
  teamQueueUrls: Record<string, string>;
  deployment: DeploymentConfig;
  personKey: string;
};

/**
 * What Lambda gives every function (role credentials in the environment, region, its own names, TZ)
 * plus the variables the CDK stack binds, pointed at the local engines.
 */
export function lambdaEnvironment(engines: ColdStartEngines, fn: string, bundle: BuiltBundle) {
  return {
    AWS_ACCESS_KEY_ID: 'ASIABENCHLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    AWS_REGION: engines.region,
    AWS_DEFAULT_REGION: engines.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${bundle.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: `front-desk-${fn}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(bundle.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: bundle.dir,
    TZ: ':UTC',
    AWS_ENDPOINT_URL_DYNAMODB: engines.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: engines.sqsEndpoint,
    TABLE_NAME: engines.tableName,
    SCREENING_QUEUE_URL: engines.screeningQueueUrl,
    TEAM_QUEUE_URLS: JSON.stringify(engines.teamQueueUrls),
    DEPLOYMENT: JSON.stringify(engines.deployment),
    PERSON_KEY: engines.personKey,
  };
}

/** One thing to time: a bundle, its environment and the event of its n-th first invoke. */
export type ColdStartCase = {
  id: string;
  fn: string;
  bundle: BuiltBundle;
  environment: Record<string, string>;
  event: (run: number) => unknown;
};

export type ColdStartSample = { importMs: number; totalMs: number; answer: string; body?: string };

async function startOnce(target: ColdStartCase, runIndex: number): Promise<ColdStartSample> {
  // A clean environment: nothing of this process (tsx's loader in NODE_OPTIONS, AWS profiles) leaks in.
  const env = {
    PATH: process.env.PATH ?? '',
    // On node < 22 the SDK prints a support warning at start-up, which Lambda's node 22 does not.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...target.environment,
    ...target.bundle.environment,
  };
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      CHILD,
      pathToFileURL(target.bundle.file).href,
      JSON.stringify(target.event(runIndex)),
      `front-desk-${target.fn}`,
    ],
    { env, cwd: dirname(target.bundle.file), timeout: SPAWN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ColdStartSample;
}

/**
 * Starts every case `runs` times, each in a new node process, round-robin over the cases (the order
 * reversed every other round) so that a slow moment of the machine does not land on one of them only.
 * One untimed start of each case first warms the disk cache; its answers are returned as `warmups`.
 */
export async function measureColdStarts(
  cases: readonly ColdStartCase[],
  runs: number,
  isStopped: () => boolean,
): Promise<{ samples: Map<string, ColdStartSample[]>; warmups: Map<string, ColdStartSample> }> {
  const samples = new Map<string, ColdStartSample[]>(cases.map((target) => [target.id, []]));
  const warmups = new Map<string, ColdStartSample>();
  for (const target of cases) warmups.set(target.id, await startOnce(target, -1));
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? cases : [...cases].reverse();
    for (const target of order) {
      if (isStopped()) return { samples, warmups };
      samples.get(target.id)?.push(await startOnce(target, round));
    }
  }
  return { samples, warmups };
}

/** A REST API proxy event as API Gateway hands it over after the Cognito authorizer. */
export function apiEvent(request: {
  method: 'GET' | 'POST';
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  groups: string[];
  headers?: Record<string, string>;
}) {
  const path = request.resource.replace(
    /\{(\w+)\}/g,
    (_, name: string) => request.pathParameters?.[name] ?? '',
  );
  return {
    resource: request.resource,
    path,
    httpMethod: request.method,
    headers: {
      Host: 'api.example.com',
      ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...request.headers,
    },
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    body: request.body === undefined ? null : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      stage: 'prod',
      path: `/prod${path}`,
      resourcePath: request.resource,
      httpMethod: request.method,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer:
        request.groups.length === 0
          ? null
          : {
              claims: {
                sub: '0b0e5c1e-bench-4000-8000-000000000001',
                'cognito:groups': request.groups.join(','),
                token_use: 'id',
              },
            },
    },
  };
}

/** An SQS event with one record, as the event source mapping hands it to the consumer. */
export function sqsEvent(body: unknown, queueArn: string) {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'bench',
        body: JSON.stringify(body),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: 'eu-north-1',
      },
    ],
  };
}
