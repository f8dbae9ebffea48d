import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_SECONDS } from '../../shared/config/resources.js';

/** Functions live in `functions/<fn>.ts` at the repository root, whatever the working directory. */
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const SERVICE_NAME = 'front-desk';

/** The AWS Parameters and Secrets Lambda extension's layer, per region and architecture by CDK's table. */
const SECRETS_EXTENSION_VERSION = lambda.ParamsAndSecretsVersions.V1_0_103;

/**
 * ESM bundles cannot `require` Node built-ins that CommonJS dependencies still ask for;
 * a top-level `require` made with `createRequire` lets them (the usual esbuild + ESM Lambda trick).
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/**
 * Module replacements in every bundle (esbuild `--alias`, paths relative to the project root, where
 * CDK runs esbuild locally and mounts it in Docker). Each one measured by `npm run bench`.
 */
/**
 * Modules left out of every bundle. Each is reached only through a dynamic `import()` on a code path our
 * services never take, so it is never loaded; esbuild would otherwise inline it, and every cold start
 * would parse it. A function that did take the path would fail with ERR_MODULE_NOT_FOUND naming it.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  // Event-stream (de)serialisation (14.6 KiB), imported by @smithy/core's HttpProtocol only for an
  // operation with an event stream; DynamoDB and SQS have none.
  '@smithy/core/event-streams',
];

export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  // The default credential chain (SSO, INI, web identity → STS + XML): 127 KiB of every SDK function;
  // Lambda always hands the role's credentials over in the environment, the chain's first link.
  '@aws-sdk/credential-provider-node': './infra/bundling/env-credentials.ts',
  // The DynamoDB client's endpoint-discovery cache, kept in mnemonist's LRU cache (CommonJS, 7 KiB):
  // the same class over a Map.
  '@aws-sdk/endpoint-cache': './infra/bundling/endpoint-cache.ts',
  // @middy/core's one use of web streams, an instanceof for streamed responses we never send:
  // answered without loading them at every cold start.
  'node:stream/web': './infra/bundling/stream-web.ts',
};

export type TableAccess = 'read' | 'readWrite';

export interface LambdaFunctionProps {
  /** The file under `functions/` without `.ts`, e.g. `submit-referral`. */
  readonly fn: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Variables every function needs regardless of its grants (see shared/config/env.ts). */
  readonly environment?: Record<string, string>;
  readonly description?: string;
  /**
   * Encrypts the function's log group: logs may still carry personal data a redaction missed. Every
   * function of the stack passes the data key (the HIPAA pack fails the synth otherwise).
   * @default CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The house Lambda function: Node.js 22 on arm64, ESM bundle with source maps as build artefacts
 * (resolve a stack trace offline with scripts/resolve-stack-trace.ts), X-Ray, a log group with a retention, and `bind…()` helpers that add an environment variable and its least-privilege grant
 * together, so that a function never gets a resource's name without the right to use it (or the reverse).
 */
export class LambdaFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    const entry = `${FUNCTIONS_DIR}${props.fn}.ts`;
    if (!existsSync(entry)) {
      throw new Error(`No entry for function "${props.fn}": expected ${entry} exporting "handler"`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description ?? `Front Desk: ${props.fn}`,
      environment: {
        ...props.environment,
        // No NODE_OPTIONS=--enable-source-maps: it costs 25 ms of submit-referral's import (measured), and the
        // maps stay in the asset for resolving a logged stack trace offline.
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Measured: a bundled, tree-shaken SDK loads faster than the runtime's copy.
        bundleAwsSDK: true,
        externalModules: [...BUNDLE_EXTERNALS],
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLE_ALIASES).map(([name, path]) => [`--alias:${name}`, path]),
        ),
      },
    });

    const nag = Validations.of(this);
    nag.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'AWSLambdaBasicExecutionRole only allows writing to CloudWatch Logs: the AWS-maintained minimum for a function.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the local runtime, CI and the esbuild target run the same major; moving to 24 is one deliberate upgrade of all three.',
    });
    nag.acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        'The functions reach only AWS regional APIs (DynamoDB, SQS, Secrets Manager, KMS) over TLS with IAM-signed requests and hold no network-reachable resource; a VPC would add NAT or five interface endpoints without narrowing who can reach the data, which IAM and the KMS key already decide.',
    });
    nag.acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason:
        "Each function's policy is generated by its bind…() grants, attached to that function's role alone and scoped to the exact table, queues, secret and key it uses; a managed policy would hold the same statements in an object nothing else shares.",
    });
  }

  get functionName(): string {
    return this.function.functionName;
  }

  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /** TABLE_NAME plus read or read/write on the table, its indexes and its key. */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this.function);
    else table.grantReadWriteData(this.function);
    const tableLogicalId = Stack.of(table).resolve((table.node.defaultChild as CfnElement).logicalId);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        "Queries go through the table's global secondary indexes; the grant covers exactly this table's indexes.",
    });
    this.acknowledgeKmsDataKeyActions();
    return this;
  }

  /** The queue's URL under `envName` plus the right to send to it (and to encrypt with its key). */
  bindQueue(envName: string, queue: sqs.IQueue): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this.function);
    this.acknowledgeKmsDataKeyActions();
    return this;
  }

  /** TEAM_QUEUE_URLS (JSON object, team id → queue URL) plus the right to send to every team queue. */
  bindTeamQueues(queues: Readonly<Record<string, sqs.IQueue>>): this {
    const urls = Object.fromEntries(Object.entries(queues).map(([team, queue]) => [team, queue.queueUrl]));
    this.addEnvironment('TEAM_QUEUE_URLS', Stack.of(this).toJsonString(urls));
    for (const queue of Object.values(queues)) queue.grantSendMessages(this.function);
    this.acknowledgeKmsDataKeyActions();
    return this;
  }

  /**
   * The secret's ARN under `envName`, read access to its value (and decrypt through Secrets Manager),
   * and the AWS Parameters and Secrets Lambda extension that the function reads it through
   * (shared/identity/person-key.ts): a localhost HTTP cache calling GetSecretValue with the function's
   * role, so the bundle carries no Secrets Manager client and the value never stands in the template
   * or the environment (https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html).
   */
  bindSecret(envName: string, secret: secretsmanager.ISecret): this {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this.function);
    this.addSecretsExtension();
    return this;
  }

  private secretsExtension = false;

  /** What NodejsFunction's `paramsAndSecrets` prop does, once, for a function that binds a secret. */
  private addSecretsExtension() {
    if (this.secretsExtension) return;
    this.secretsExtension = true;
    const extension = lambda.ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION_VERSION, {
      // The person key changes only by a deliberate rotation; a container reads it once anyway.
      cacheSize: 10,
      logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
    })._bind(this, this.function);
    this.function.addLayers(
      lambda.LayerVersion.fromLayerVersionArn(this, 'ParamsAndSecretsLayer', extension.arn),
    );
    for (const [name, value] of Object.entries(extension.environmentVars)) {
      this.function.addEnvironment(name, String(value));
    }
  }

  /** Grants on KMS-encrypted tables and queues name the key's data-key actions with a wildcard suffix. */
  private acknowledgeKmsDataKeyActions() {
    const reason =
      'Encrypting with the customer-managed key needs kms:GenerateDataKey* and kms:ReEncrypt* (CDK grant), limited to that one key.';
    Validations.of(this).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason });
  }
}
