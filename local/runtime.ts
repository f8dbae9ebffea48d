import { createHash, randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
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
import { demoClients } from './demo-clients.js';
import { findDemoUser } from './demo-users.js';
import {
  assertJavaInstalled,
  createCaseTable,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local.js';
import { LocalRuntimeError, PortInUseError } from './errors.js';
import { startEventSourceMapping } from './event-source-mapping.js';
import { invoke, type LambdaHandler, lambdaContext, loadFunction } from './lambda.js';
import { createLocalIssuer, type IssueOptions, LOCAL_AUDIENCE } from './local-issuer.js';
import { assertPortFree, freePort } from './ports.js';
import { type LocalQueues, startLocalQueues } from './queues.js';
import { startSchedule } from './schedule.js';
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
  /** How often the scheduled re-drive runs. Default 30 s (every REDRIVE.everyMinutes in AWS). */
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
};

export type LocalStack = {
  /** The API, e.g. http://localhost:3000 */
  url: string;
  /** The staff web app, e.g. http://localhost:3000/app/ (undefined when started with `web: false`). */
  webUrl: string | undefined;
  port: number;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  region: string;
  tableName: string;
  /** Queue name → URL, dead-letter queues included. */
  queueUrls: Record<string, string>;
  deployment: DeploymentConfig;
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

  assertJavaInstalled();
  const dynamoPortWanted = options.dynamoPort ?? LOCAL_DEFAULTS.dynamoPort;
  const sqsPortWanted = options.sqsPort ?? LOCAL_DEFAULTS.sqsPort;
  await assertPortFree({
    port: dynamoPortWanted,
    name: 'DynamoDB Local',
    variable: 'DYNAMODB_PORT',
    hint: ' A DynamoDB Local from an earlier run may still be running (`pgrep -af DynamoDBLocal.jar`).',
  });
  await assertPortFree({ port: sqsPortWanted, name: 'SQS', variable: 'SQS_PORT' });

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

    const dynamoPort = dynamoPortWanted === 0 ? await freePort() : dynamoPortWanted;
    const [dynamo, queues] = await Promise.allSettled([
      startDynamoDbLocal({
        port: dynamoPort,
        region,
        onUnexpectedExit: (reason) =>
          logError(`DynamoDB Local stopped unexpectedly; restart npm start.\n${reason}`),
      }),
      startLocalQueues({
        port: sqsPortWanted,
        region,
        deployment,
        screeningVisibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
      }),
    ]);
    if (dynamo.status === 'fulfilled') cleanups.push(() => dynamo.value.stop());
    if (queues.status === 'fulfilled') cleanups.push(() => queues.value.server.stop());
    if (dynamo.status === 'rejected') throw dynamo.reason;
    if (queues.status === 'rejected') {
      const error = queues.reason as NodeJS.ErrnoException;
      throw error.code === 'EADDRINUSE' ? new PortInUseError(sqsPortWanted, 'SQS', 'SQS_PORT') : error;
    }
    const { endpoint: dynamoEndpoint }: DynamoDbLocal = dynamo.value;
    const { endpoint: sqsEndpoint, urls, arns }: LocalQueues = queues.value;

    const tableName = `${deployment.queuePrefix}-cases`;
    const dynamoClient = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await createCaseTable(dynamoClient, tableName);
    } finally {
      dynamoClient.destroy();
    }

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
    // The functions' Powertools loggers: warnings and errors unless the developer asks for more.
    process.env.POWERTOOLS_LOG_LEVEL ??= options.quiet ? 'ERROR' : 'WARN';
    process.env.POWERTOOLS_SERVICE_NAME ??= 'front-desk';
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
    if (screenCase) {
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
      const schedule = startSchedule(options.redriveEverySeconds ?? 30, async () => {
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
    listener = web ? withWebApp(api, web, log) : api;

    let stopping: Promise<void> | undefined;
    return {
      url,
      webUrl: web ? `${url}/app/` : undefined,
      port,
      dynamoEndpoint,
      sqsEndpoint,
      region,
      tableName,
      queueUrls: { ...urls },
      deployment,
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
