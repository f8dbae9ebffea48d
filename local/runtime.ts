import { createHash, randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BACKGROUND_FUNCTIONS, ROUTES } from '../shared/api/routes.js';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentConfig,
  parseDeploymentConfig,
  screeningQueueName,
  teamQueueName,
} from '../shared/config/deployment.js';
import { QUEUE, REDRIVE } from '../shared/config/resources.js';
import { apiScopes, contractGroups } from '../shared/http/caller.js';
import { createApiGateway } from './api-gateway.js';
import { prepareDataDir } from './data-dir.js';
import { demoClients } from './demo-clients.js';
import { findDemoUser } from './demo-users.js';
import { assertJavaInstalled, ensureCaseTable, startDynamoDbLocal } from './dynamodb-local.js';
import { type EngineState, type SupervisedEngine, superviseEngine } from './engines.js';
import { LocalRuntimeError, PortInUseError } from './errors.js';
import { startEventSourceMapping } from './event-source-mapping.js';
import { invoke, type LambdaHandler, lambdaContext, loadFunction } from './lambda.js';
import { createLocalIssuer, type IssueOptions, LOCAL_AUDIENCE } from './local-issuer.js';
import { assertPortFree, freePort } from './ports.js';
import { ensureQueues } from './queues.js';
import { startSchedule } from './schedule.js';
import { startSqsEngine } from './sqs-engine.js';
import { localWebApp, withWebApp } from './static.js';

/** The contract's fixed points (CONTRACT.md, "Local runtime"). */
export const LOCAL_DEFAULTS = { port: 3000, dynamoPort: 8000, sqsPort: 9324, region: 'eu-north-1' } as const;

/**
 * The HMAC key people are de-duplicated on, for this laptop only: derived from a public phrase, so
 * it is no secret and must never be used in AWS (where the key lives in Secrets Manager).
 */
export const LOCAL_PERSON_KEY = createHash('sha256')
  .update('frontdesk local runtime person key - public, never use in AWS')
  .digest('hex');

export type LocalStackOptions = {
  /** API port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Address the API listens on. Default 127.0.0.1: the local issuer signs tokens for anyone who asks. */
  host?: string;
  /** DynamoDB Local port; 0 picks a free one. Default 8000. */
  dynamoPort?: number;
  /** SQS (fauxqs) port; 0 picks a free one. Default 9324. */
  sqsPort?: number;
  /** How often the scheduled re-drive and sweeps run. Default 10 s (CONTRACT.md v1.1; every REDRIVE.everyMinutes in AWS). */
  redriveEverySeconds?: number;
  /** How old a stuck case must be before the re-drive picks it up. Default REDRIVE.olderThanSeconds. */
  redriveOlderThanSeconds?: number;
  /** The screening queue's visibility timeout, i.e. how soon a failed message is retried. Default 2 s. */
  visibilityTimeoutSeconds?: number;
  /** No request lines on stdout; errors still go to stderr. */
  quiet?: boolean;
  deployment?: DeploymentConfig;
  /** Where the function modules are; only tests of the runtime itself change it. */
  functionsDir?: string;
  /** Serve the staff web app at /app/ (built in memory at start). Default true. */
  web?: boolean;
  /** DynamoDB Local keeps its files here (made if missing), so data outlives a restart. In memory when absent. */
  dataDir?: string;
  /** A DynamoDB that already runs: the runtime starts no DynamoDB Local and creates the table only if missing. */
  dynamoEndpoint?: string;
  /** An SQS engine that already runs: the runtime starts none and creates only missing queues. */
  sqsEndpoint?: string;
  /**
   * An engine the runtime started died and could not be started again; it stays down and GET /health
   * answers 503. `npm start` exits non-zero. Default: the error is logged.
   */
  onEngineFailure?: (error: Error) => void;
  /** The screening queue's event source mapping is enabled (Lambda's `Enabled`). Default true. */
  screeningConsumer?: boolean;
};

/** An engine of the stack: started (and restarted) by the runtime, or one that already ran (`external`). */
export type EngineStatus = { external: boolean; pid: number | undefined; state: EngineState };

export type LocalStack = {
  /** The API, e.g. http://localhost:3000 */
  url: string;
  /** The staff web app, e.g. http://localhost:3000/app/ (undefined when started with `web: false`). */
  webUrl: string | undefined;
  port: number;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** Where DynamoDB Local keeps its files; undefined when in memory or when the engine is external. */
  dataDir: string | undefined;
  /** The engines as they run now (after a restart, the new process). */
  engines(): { dynamodb: EngineStatus; sqs: EngineStatus };
  region: string;
  tableName: string;
  /** Queue name → URL, dead-letter queues included. */
  queueUrls: Record<string, string>;
  deployment: DeploymentConfig;
  /** The SQS client the local event source mapping polls with (the bench counts its requests). */
  pollerSqs: SQSClient;
  /** Functions named by ROUTES or BACKGROUND_FUNCTIONS whose module does not exist yet. */
  missingFunctions: string[];
  /** Signs a token for a demo user, as POST /local/login does; options make expired tokens for tests. */
  issueToken(userId: string, options?: IssueOptions): Promise<string>;
  /** Signs a machine client's token, as POST /local/oauth2/token does for a demo client. */
  issueClientToken(clientId: string, options?: IssueOptions): Promise<string>;
  stop(): Promise<void>;
};

/**
 * Function modules are loaded once per process, as Lambda keeps a warm execution environment: their
 * clients and validated environment stay as they were at cold start. A second stack in the same
 * process must therefore have the same environment (same ports), or its functions would talk to the
 * first stack's engines.
 */
let loadedEnvironment: string | undefined;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'the API', 'PORT') : error);
    };
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A summary worth a line: the re-drive did something (any count above zero). */
const didSomething = (summary: unknown) =>
  typeof summary === 'object' &&
  summary !== null &&
  Object.values(summary).some((value) => typeof value === 'number' && value > 0);

/**
 * Starts the whole system on this machine: DynamoDB Local with the case table, fauxqs with the
 * queues, the functions loaded as Lambda loads them, the API behind a local API Gateway with a
 * Cognito-style authorizer, the screening queue's event source mapping and the scheduled re-drive.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = LOCAL_DEFAULTS.region;
  const deployment = parseDeploymentConfig(options.deployment ?? DEFAULT_DEPLOYMENT);
  const host = options.host ?? '127.0.0.1';
  const log = options.quiet ? () => undefined : (line: string) => console.log(line);
  const logError = (line: string, error?: unknown) => {
    console.error(
      error === undefined ? line : `${line}\n${error instanceof Error ? error.stack : String(error)}`,
    );
  };
  const functionsDir = options.functionsDir ?? fileURLToPath(new URL('../functions/', import.meta.url));

  const dynamoPortWanted = options.dynamoPort ?? LOCAL_DEFAULTS.dynamoPort;
  const sqsPortWanted = options.sqsPort ?? LOCAL_DEFAULTS.sqsPort;
  if (!options.dynamoEndpoint) {
    assertJavaInstalled();
    await assertPortFree({
      port: dynamoPortWanted,
      name: 'DynamoDB Local',
      variable: 'DYNAMODB_PORT',
      hint: ' A DynamoDB Local from an earlier run may still be running (`pgrep -af DynamoDBLocal.jar`).',
    });
  }
  if (!options.sqsEndpoint) await assertPortFree({ port: sqsPortWanted, name: 'SQS', variable: 'SQS_PORT' });
  const dataDir = options.dataDir && !options.dynamoEndpoint ? options.dataDir : undefined;

  // Until everything is up, the API answers 503; listening first reserves the port and fixes the issuer.
  let listener: RequestListener = (_request, response) => {
    response.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1' });
    response.end(
      JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Starting.' }),
    );
  };
  const server = createServer((request, response) => listener(request, response));
  const cleanups: Array<() => Promise<void>> = [];
  // The API stops taking requests first; then everything else in the reverse order of starting.
  const cleanUp = async () => {
    await closeServer(server);
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logError('Stopping part of the local runtime failed', error));
    }
  };

  try {
    const port = await listen(server, options.port ?? LOCAL_DEFAULTS.port, host);
    const url = `http://localhost:${port}`;
    const clients = demoClients(deployment.teams);
    const issuer = await createLocalIssuer(`${url}/local`, clients);

    const tableName = `${deployment.queuePrefix}-cases`;
    const dynamoEndpoint =
      options.dynamoEndpoint ??
      `http://127.0.0.1:${dynamoPortWanted === 0 ? await freePort() : dynamoPortWanted}`;
    const sqsEndpoint =
      options.sqsEndpoint ?? `http://127.0.0.1:${sqsPortWanted === 0 ? await freePort() : sqsPortWanted}`;
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const onFatal =
      options.onEngineFailure ?? ((error: Error) => logError(`${error.message} GET /health answers 503.`));

    // Created only when missing: a data directory or an engine that already runs keeps what it has.
    const prepareTable = async () => {
      const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
      try {
        const { addedIndexes } = await ensureCaseTable(client, tableName);
        if (addedIndexes.length > 0)
          log(`Added the indexes ${addedIndexes.join(', ')} to the table ${tableName} from an older run.`);
      } catch (error) {
        if (error instanceof LocalRuntimeError || !options.dynamoEndpoint) throw error;
        throw new LocalRuntimeError(`DYNAMODB_ENDPOINT ${dynamoEndpoint} does not answer: ${String(error)}`);
      } finally {
        client.destroy();
      }
    };
    let queueUrls: { urls: Record<string, string>; arns: Record<string, string> } | undefined;
    const prepareQueues = async () => {
      const client = new SQSClient({
        endpoint: sqsEndpoint,
        region,
        credentials,
        useQueueUrlAsEndpoint: false,
      });
      try {
        const ensured = await ensureQueues(client, {
          deployment,
          screeningVisibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
        });
        if (queueUrls && JSON.stringify(ensured.urls) !== JSON.stringify(queueUrls.urls))
          logError('The restarted SQS engine gave the queues other URLs; restart npm start.');
        queueUrls ??= ensured;
      } catch (error) {
        if (!options.sqsEndpoint) throw error;
        throw new LocalRuntimeError(`SQS_ENDPOINT ${sqsEndpoint} does not answer: ${String(error)}`);
      } finally {
        client.destroy();
      }
    };

    const supervise = async <E extends { pid: number | undefined; stop(): Promise<void> }>(
      name: string,
      start: (onUnexpectedExit: (reason: string) => void) => Promise<E>,
      prepare: () => Promise<void>,
      restartNote: string,
    ): Promise<SupervisedEngine<E>> => {
      const engine = await superviseEngine({ name, start, prepare, restartNote, log, logError, onFatal });
      cleanups.push(() => engine.stop());
      return engine;
    };
    const [dynamo, queues] = await Promise.allSettled([
      options.dynamoEndpoint
        ? prepareTable().then(() => undefined)
        : supervise(
            'DynamoDB Local',
            (onUnexpectedExit) => {
              if (dataDir) prepareDataDir(dataDir);
              return startDynamoDbLocal({
                port: Number(new URL(dynamoEndpoint).port),
                region,
                dbPath: dataDir,
                onUnexpectedExit,
              });
            },
            prepareTable,
            dataDir ? `on the same data in ${dataDir}` : '(in memory: what it held is gone)',
          ),
      options.sqsEndpoint
        ? prepareQueues().then(() => undefined)
        : supervise(
            'The SQS engine',
            (onUnexpectedExit) =>
              startSqsEngine({ port: Number(new URL(sqsEndpoint).port), region, onUnexpectedExit }),
            prepareQueues,
            '(queued messages are lost; the scheduled re-drive hands stored cases over again)',
          ),
    ]);
    if (dynamo.status === 'rejected') throw dynamo.reason;
    if (queues.status === 'rejected') throw queues.reason;
    const { urls, arns } = queueUrls as NonNullable<typeof queueUrls>;
    const status = (
      engine: SupervisedEngine<{ pid: number | undefined; stop(): Promise<void> }> | undefined,
    ) =>
      engine
        ? { external: false, pid: engine.current().pid, state: engine.state() }
        : { external: true, pid: undefined, state: 'up' as const };

    const screeningQueue = screeningQueueName(deployment.queuePrefix);
    const environment = {
      TABLE_NAME: tableName,
      SCREENING_QUEUE_URL: urls[screeningQueue] as string,
      TEAM_QUEUE_URLS: JSON.stringify(
        Object.fromEntries(
          deployment.teams.map((team) => [team, urls[teamQueueName(deployment.queuePrefix, team)]]),
        ),
      ),
      DEPLOYMENT: JSON.stringify(deployment),
      PERSON_KEY: LOCAL_PERSON_KEY,
      // The functions check these claims themselves too, as they do behind the Cognito authorizer.
      TOKEN_ISSUER: issuer.issuer,
      USER_POOL_CLIENT_IDS: LOCAL_AUDIENCE,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // DynamoDB Local with -sharedDb and fauxqs accept any credentials.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    };
    const fingerprint = JSON.stringify(environment);
    if (loadedEnvironment && loadedEnvironment !== fingerprint) {
      throw new LocalRuntimeError(
        'This process already loaded the functions for a local stack on other ports or with another ' +
          'configuration, and functions keep their cold-start environment. Start the second stack on the ' +
          'same ports (and configuration) as the first, or in another process.',
      );
    }
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'PERSON_KEY_SECRET_ARN'])
      delete process.env[name];
    Object.assign(process.env, environment);
    // The functions' logger (shared/logger.ts reads Powertools' variables): warnings and errors unless the
    // developer asks for more.
    process.env.POWERTOOLS_LOG_LEVEL ??= options.quiet ? 'ERROR' : 'WARN';
    process.env.POWERTOOLS_SERVICE_NAME ??= 'front-desk';
    // Metrics are EMF lines for CloudWatch: locally nobody reads them, and they would fill the console.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    loadedEnvironment = fingerprint;

    const handlers = new Map<string, LambdaHandler>();
    const missingFunctions: string[] = [];
    const functionNames = [...new Set([...ROUTES.map((route) => route.fn), ...BACKGROUND_FUNCTIONS])];
    for (const fn of functionNames) {
      const handler = await loadFunction(functionsDir, fn);
      if (handler) handlers.set(fn, handler);
      else missingFunctions.push(fn);
    }

    const sqs = new SQSClient({
      endpoint: sqsEndpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
    cleanups.push(async () => sqs.destroy());
    const screenCase = handlers.get('screen-case');
    if (screenCase && options.screeningConsumer !== false) {
      const mapping = startEventSourceMapping({
        sqs,
        queueUrl: urls[screeningQueue] as string,
        queueArn: arns[screeningQueue] as string,
        region,
        functionName: `${deployment.queuePrefix}-screen-case`,
        handler: screenCase,
        batchSize: QUEUE.batchSize,
        timeoutSeconds: QUEUE.consumerTimeoutSeconds,
        log,
        logError,
      });
      cleanups.push(() => mapping.stop());
    }
    const redriveCases = handlers.get('redrive-cases');
    if (redriveCases) {
      const olderThanSeconds = options.redriveOlderThanSeconds ?? REDRIVE.olderThanSeconds;
      const functionName = `${deployment.queuePrefix}-redrive-cases`;
      const schedule = startSchedule(options.redriveEverySeconds ?? 10, async () => {
        const event = {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: '000000000000',
          time: new Date().toISOString(),
          region,
          resources: [`arn:aws:events:${region}:000000000000:rule/${functionName}`],
          detail: { olderThanSeconds },
        };
        try {
          const context = lambdaContext({
            functionName,
            region,
            timeoutSeconds: QUEUE.consumerTimeoutSeconds,
          });
          const summary = await invoke(redriveCases, event, context);
          if (didSomething(summary)) log(`redrive-cases ${JSON.stringify(summary)}`);
        } catch (error) {
          logError('redrive-cases failed; the next run retries', error);
        }
      });
      cleanups.push(() => schedule.stop());
    }
    // EventBridge Scheduler runs it monthly in AWS; here every few minutes (it does nothing once the
    // month that has just ended has its snapshot).
    const snapshotStats = handlers.get('snapshot-stats');
    if (snapshotStats) {
      const functionName = `${deployment.queuePrefix}-snapshot-stats`;
      const schedule = startSchedule(300, async () => {
        try {
          const context = lambdaContext({ functionName, region, timeoutSeconds: 30 });
          const summary = (await invoke(snapshotStats, {}, context)) as { taken?: boolean; month?: string };
          if (summary?.taken) log(`snapshot-stats took ${summary.month}`);
        } catch (error) {
          logError('snapshot-stats failed; the next run retries', error);
        }
      });
      cleanups.push(() => schedule.stop());
    }

    const api = createApiGateway({
      functionNamePrefix: deployment.queuePrefix,
      region,
      issuer,
      scopes: apiScopes(contractGroups(deployment.teams)),
      clients,
      handlers,
      log,
      logError,
    });
    const web = options.web === false ? undefined : await localWebApp(deployment);
    const health = engineHealth({
      engines: [dynamo.value, queues.value],
      dynamo: new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials, maxAttempts: 2 }),
      sqs: new SQSClient({ endpoint: sqsEndpoint, region, credentials, maxAttempts: 2 }),
      tableName,
      queueUrl: urls[screeningQueue] as string,
    });
    cleanups.push(async () => health.destroy());
    listener = withEngineHealth(web ? withWebApp(api, web, log) : api, health.problems);

    let stopping: Promise<void> | undefined;
    return {
      url,
      webUrl: web ? `${url}/app/` : undefined,
      port,
      dynamoEndpoint,
      sqsEndpoint,
      dataDir,
      engines: () => ({ dynamodb: status(dynamo.value), sqs: status(queues.value) }),
      region,
      tableName,
      queueUrls: { ...urls },
      deployment,
      pollerSqs: sqs,
      missingFunctions,
      async issueToken(userId, issueOptions) {
        const user = findDemoUser(userId);
        if (!user) throw new Error(`No demo user "${userId}".`);
        return issuer.issueToken(user, issueOptions);
      },
      async issueClientToken(clientId, issueOptions) {
        const client = clients.find((candidate) => candidate.id === clientId);
        if (!client) throw new Error(`No demo client "${clientId}".`);
        return issuer.issueClientToken(client, issueOptions);
      },
      stop() {
        stopping ??= cleanUp();
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * What keeps GET /health from answering 200: an engine the runtime is restarting (or gave up on), or
 * one that does not answer within two seconds (killed, paused, or an external engine gone), or whose
 * table or screening queue is missing.
 */
function engineHealth(options: {
  engines: Array<SupervisedEngine<{ pid: number | undefined; stop(): Promise<void> }> | undefined>;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrl: string;
}) {
  const timeout = () => ({ abortSignal: AbortSignal.timeout(2000) });
  const probe = async (name: string, call: () => Promise<unknown>) => {
    const supervised = options.engines.find((engine) => engine?.name === name);
    if (supervised && supervised.state() !== 'up')
      return `${name} is ${supervised.state() === 'restarting' ? 'being restarted' : 'down'}.`;
    try {
      await call();
      return undefined;
    } catch {
      return `${name} does not answer.`;
    }
  };
  return {
    async problems(): Promise<string[]> {
      const found = await Promise.all([
        probe('DynamoDB Local', () =>
          options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }), timeout()),
        ),
        probe('The SQS engine', () =>
          options.sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
            timeout(),
          ),
        ),
      ]);
      return found.filter((problem): problem is string => problem !== undefined);
    },
    destroy() {
      options.dynamo.destroy();
      options.sqs.destroy();
    },
  };
}

/** GET /health answers 503 while an engine is down; otherwise the get-health function answers. */
function withEngineHealth(inner: RequestListener, problems: () => Promise<string[]>): RequestListener {
  return (request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (request.method !== 'GET' || path !== '/health') return inner(request, response);
    problems().then(
      (found) => {
        if (found.length === 0) return inner(request, response);
        response.writeHead(503, {
          'Content-Type': 'application/problem+json',
          'Cache-Control': 'no-store',
          'Retry-After': '1',
        });
        response.end(
          JSON.stringify({
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            detail: found.join(' '),
          }),
        );
      },
      (error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      },
    );
  };
}
