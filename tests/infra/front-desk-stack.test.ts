import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORS_ALLOW_HEADERS } from '../../infra/constructs/api.js';
import { defaultAuthDomainPrefix } from '../../infra/constructs/auth.js';
import { ROUTER_CODE } from '../../infra/constructs/web-hosting.js';
import { FrontDeskStack } from '../../infra/front-desk-stack.js';
import { withWebApp } from '../../local/static.js';
import { BACKGROUND_FUNCTIONS, ROUTES } from '../../shared/api/routes.js';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentConfig,
  deadLetterQueueName,
  parseTeamConsumers,
  screeningQueueName,
  teamQueueName,
} from '../../shared/config/deployment.js';
import { functionEnvSchema } from '../../shared/config/env.js';
import { QUEUE, REDRIVE, TABLE } from '../../shared/config/resources.js';
import { apiScopes, contractGroups } from '../../shared/http/caller.js';
import {
  CALLBACK_URLS,
  ENV,
  findingsOf,
  functionsByName,
  ofType,
  type Resource,
  synthesize,
  type Violation,
} from '../helpers/synth-stack.js';

const refOf = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string') return ref;
    const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
};

/** Every API Gateway method as `METHOD /path`, with its authorization. */
function apiMethods(resources: Record<string, Resource>) {
  const pathOf = (id: string | undefined): string => {
    const resource = id === undefined ? undefined : resources[id];
    if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(refOf(resource.Properties?.ParentId))}/${resource.Properties?.PathPart}`;
  };
  return ofType(resources, 'AWS::ApiGateway::Method').map(([, method]) => ({
    route: `${method.Properties?.HttpMethod} ${pathOf(refOf(method.Properties?.ResourceId)) || '/'}`,
    authorizationType: method.Properties?.AuthorizationType as string,
    authorizer: refOf(method.Properties?.AuthorizerId),
  }));
}

/** The name of a queue resource, by logical id. */
const queueNameOf = (resources: Record<string, Resource>, id: string | undefined) =>
  id === undefined ? undefined : (resources[id]?.Properties?.QueueName as string | undefined);

const USER_POOL_ID = 'eu-north-1_AbCdEf123';
const CLIENT_ID = '1example23456789abcdefghij';
const REST_API_ID = 'a1b2c3d4e5';
const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';

/** Turns an environment variable's CloudFormation value into what Lambda would see, with plausible ids. */
function deployedValue(resources: Record<string, Resource>, value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => deployedValue(resources, part)).join(join[0]);
  const id = refOf(value);
  if (id === 'AWS::URLSuffix') return 'amazonaws.com';
  const resource = id === undefined ? undefined : resources[id];
  switch (resource?.Type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.eu-north-1.amazonaws.com/123456789012/${resource.Properties?.QueueName}`;
    case 'AWS::DynamoDB::Table':
      return 'FrontDeskTest-CaseTable-ABC123';
    case 'AWS::SecretsManager::Secret':
      return 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:PersonKey-AbCdEf';
    case 'AWS::Cognito::UserPool':
      return USER_POOL_ID;
    case 'AWS::Cognito::UserPoolClient':
      return CLIENT_ID;
    case 'AWS::ApiGateway::RestApi':
      return REST_API_ID;
    case 'AWS::ApiGateway::Stage':
      return String(resource.Properties?.StageName);
    case 'AWS::CloudFront::Distribution':
      return DISTRIBUTION_DOMAIN;
    default:
      throw new Error(`No deployed value for ${JSON.stringify(value)}`);
  }
}

/** The house functions (functions/<fn>.ts) by name; CDK's own handlers (the web deployment's) left out. */
/** Policies attached to a function's role, flattened to statements. */
function statementsOf(resources: Record<string, Resource>, functionId: string) {
  const role = refOf(resources[functionId]?.Properties?.Role);
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => ((policy.Properties?.Roles ?? []) as unknown[]).some((r) => refOf(r) === role))
    .flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as { Action: string | string[] }[])
    .flatMap((statement) => [statement.Action].flat());
}

/** The headers local/static.ts sends with a page: what the CloudFront response headers must match. */
function localWebHeaders(path: string): Record<string, string> {
  let headers: Record<string, string> = {};
  const web = { files: new Map([['/app/index.html', new Uint8Array()]]), config: {} };
  const listener = withWebApp(() => undefined, web as unknown as Parameters<typeof withWebApp>[1]);
  listener(
    { method: 'GET', url: path } as Parameters<typeof listener>[0],
    {
      writeHead: (_status: number, sent: Record<string, string>) => {
        headers = sent;
      },
      end: () => undefined,
    } as unknown as Parameters<typeof listener>[1],
  );
  return headers;
}

/** A Content-Security-Policy as directive → sources. */
const cspDirectives = (policy: string) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

describe('FrontDeskStack with the default deployment', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let report: { pluginReports: { pluginName: string; violations: Violation[] }[] };
  let assemblyDir: string;

  beforeAll(() => {
    ({ template, resources, report, assemblyDir } = synthesize(DEFAULT_DEPLOYMENT, { bundle: true }));
  }, 120_000);

  it('has no unacknowledged cdk-nag AwsSolutions or HIPAA Security finding', () => {
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`,
      ),
    );

    expect(findings).toEqual([]);
  });

  it('serves every route of ROUTES with its method, and nothing else (besides CORS preflights)', () => {
    const served = apiMethods(resources)
      .map((method) => method.route)
      .filter((route) => !route.startsWith('OPTIONS '))
      .sort();

    expect(served).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('puts the Cognito authorizer on every route that needs a token', () => {
    const methods = apiMethods(resources);
    const [authorizerId] = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'));

    for (const route of ROUTES.filter((r) => r.authorized)) {
      const method = methods.find((m) => m.route === `${route.method} ${route.path}`);
      expect(method, route.path).toMatchObject({
        authorizationType: 'COGNITO_USER_POOLS',
        authorizer: authorizerId,
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
    });
  });

  it('names the OAuth scopes on every authorized method: access tokens with one of them only', () => {
    const scopes = apiScopes(contractGroups(DEFAULT_DEPLOYMENT.teams));
    const authorized = ofType(resources, 'AWS::ApiGateway::Method').filter(
      ([, method]) => method.Properties?.AuthorizationType === 'COGNITO_USER_POOLS',
    );

    expect(authorized).toHaveLength(ROUTES.filter((route) => route.authorized).length);
    for (const [id, method] of authorized) expect(method.Properties?.AuthorizationScopes, id).toEqual(scopes);
  });

  it('leaves only /health and /openapi.json without an authorizer', () => {
    const open = apiMethods(resources).filter(
      (m) => m.authorizationType !== 'COGNITO_USER_POOLS' && !m.route.startsWith('OPTIONS '),
    );

    expect(open.map((m) => m.route).sort()).toEqual(['GET /health', 'GET /openapi.json']);
    for (const method of open)
      expect(method).toMatchObject({ authorizationType: 'NONE', authorizer: undefined });
  });

  it('has no resource under /local', () => {
    const parts = ofType(resources, 'AWS::ApiGateway::Resource').map(([, r]) =>
      String(r.Properties?.PathPart),
    );

    expect(parts.filter((part) => part.toLowerCase().includes('local'))).toEqual([]);
  });

  it('maps {referralId} as a path parameter', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{referralId}' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.path.referralId': true },
      Integration: { Type: 'AWS_PROXY' },
    });
  });

  it('answers the errors API Gateway makes itself as problem+json with a matching status', () => {
    const byType = new Map(
      ofType(resources, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties?.ResponseType,
        r.Properties,
      ]),
    );

    for (const [type, status] of [
      ['UNAUTHORIZED', 401],
      ['ACCESS_DENIED', 403],
      ['DEFAULT_4XX', 400],
      ['DEFAULT_5XX', 500],
    ] as const) {
      const response = byType.get(type);
      const body = JSON.parse(
        String(response?.ResponseTemplates['application/json'])
          .replace('$context.error.messageString', '"A message"')
          .replace('$context.requestId', 'r-1'),
      );
      expect(response?.StatusCode, type).toBe(String(status));
      expect(response?.ResponseParameters['gatewayresponse.header.Content-Type']).toBe(
        "'application/problem+json'",
      );
      expect(body).toMatchObject({
        type: 'about:blank',
        title: expect.any(String),
        status,
        detail: expect.any(String),
      });
    }
  });

  it('logs access, traces with X-Ray and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
          DataTraceEnabled: false,
        }),
      ]),
    });
  });

  it('gives every queue that is not itself a dead-letter queue a dead-letter queue', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue');
    const deadLetterIds = new Set(
      queues.map(([, q]) => refOf(q.Properties?.RedrivePolicy?.deadLetterTargetArn)).filter(Boolean),
    );
    const sources = queues.filter(([id]) => !deadLetterIds.has(id));

    expect(sources.length).toBe(DEFAULT_DEPLOYMENT.teams.length + 1);
    for (const [id, queue] of sources) {
      expect(queue.Properties?.RedrivePolicy, id).toEqual({
        deadLetterTargetArn: expect.anything(),
        maxReceiveCount: QUEUE.maxReceiveCount,
      });
      const deadLetterName = queueNameOf(
        resources,
        refOf(queue.Properties?.RedrivePolicy.deadLetterTargetArn),
      );
      expect(deadLetterName).toBe(deadLetterQueueName(String(queue.Properties?.QueueName)));
    }
  });

  it('names each team queue <prefix>-<teamId>, plus the internal screening queue', () => {
    const names = ofType(resources, 'AWS::SQS::Queue')
      .filter(([, q]) => q.Properties?.RedrivePolicy)
      .map(([, q]) => q.Properties?.QueueName)
      .sort();

    expect(names).toEqual(
      [
        ...DEFAULT_DEPLOYMENT.teams.map((team) => teamQueueName('frontdesk', team)),
        screeningQueueName('frontdesk'),
      ].sort(),
    );
  });

  it('encrypts every queue with the customer-managed key and keeps messages 14 days', () => {
    for (const [id, queue] of ofType(resources, 'AWS::SQS::Queue')) {
      expect(refOf(queue.Properties?.KmsMasterKeyId), id).toBe('DataKey');
      expect(queue.Properties?.MessageRetentionPeriod, id).toBe(QUEUE.retentionDays * 24 * 3600);
    }
    template.resourceCountIs('AWS::SQS::QueuePolicy', ofType(resources, 'AWS::SQS::Queue').length);
  });

  it('gives the screening queue a visibility timeout of at least six times its consumer timeout', () => {
    const [[, mapping]] = ofType(resources, 'AWS::Lambda::EventSourceMapping') as [[string, Resource]];
    const consumer = resources[String(refOf(mapping.Properties?.FunctionName))];
    const queue = resources[String(refOf(mapping.Properties?.EventSourceArn))];

    expect(queue?.Properties?.QueueName).toBe(screeningQueueName('frontdesk'));
    expect(consumer?.Properties?.Timeout).toBe(QUEUE.consumerTimeoutSeconds);
    expect(queue?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer?.Properties?.Timeout);
  });

  it('has the screening consumer report batch item failures, ten at a time at most', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: QUEUE.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // The consumer's concurrency cap, held by the mapping (cdk-nag HIPAA LambdaConcurrency).
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it(`runs the re-drive every ${REDRIVE.everyMinutes} minutes`, () => {
    const redrive = functionsByName(resources).get('redrive-cases');

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${REDRIVE.everyMinutes} minutes)`,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [redrive?.id, 'Arn'] } })],
    });
  });

  it('keeps the case table: point-in-time recovery, KMS encryption, retained, with a TTL', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
        },
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    });
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual(['CaseTable']);
  });

  it('indexes the table as shared/config/resources.ts defines, for the local runtime and AWS alike', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([indexName, index]) =>
        Match.objectLike({
          IndexName: indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            ...('sortKey' in index ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
          ],
          Projection: { ProjectionType: index.projection },
        }),
      ),
    });
  });

  it('rotates the customer-managed key and retains it', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });

  it('generates the person key as 64 hex characters, encrypted with the key', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KmsKeyId: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
        GenerateSecretString: Match.objectLike({
          PasswordLength: 64,
          ExcludePunctuation: true,
          ExcludeUppercase: true,
          ExcludeCharacters: 'ghijklmnopqrstuvwxyz',
        }),
      }),
    });
  });

  it('runs every function on Node.js 22 on arm64 with X-Ray and a log group', () => {
    const functions = [...functionsByName(resources).values()].map(({ id, fn }) => [id, fn] as const);

    expect(functions.length).toBe(ROUTES.length + BACKGROUND_FUNCTIONS.length);
    // Besides: CDK's BucketDeployment handler, which copies the web app into its bucket.
    expect(ofType(resources, 'AWS::Lambda::Function').length).toBe(
      ROUTES.length + BACKGROUND_FUNCTIONS.length + 1,
    );
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
  });

  it('gives every function an environment that passes the cold-start validation', () => {
    for (const [name, { fn }] of functionsByName(resources)) {
      const variables = fn.Properties?.Environment.Variables as Record<string, unknown>;
      const env = Object.fromEntries(
        Object.entries(variables).map(([k, v]) => [k, deployedValue(resources, v)]),
      );

      const result = functionEnvSchema.safeParse(env);

      expect(result.error, name).toBeUndefined();
      expect(env.NODE_OPTIONS).toBeUndefined();
      expect(Object.keys(JSON.parse(String(env.TEAM_QUEUE_URLS)))).toEqual(DEFAULT_DEPLOYMENT.teams);
      expect(JSON.parse(String(env.DEPLOYMENT))).toEqual(DEFAULT_DEPLOYMENT);
    }
  });

  it('lets only the functions that key a person by identity number read the person key', () => {
    const readers = [...functionsByName(resources)]
      .filter(([, { id }]) => statementsOf(resources, id).includes('secretsmanager:GetSecretValue'))
      .map(([name]) => name);

    // Intake de-duplicates people on it; the two searches find a case by identity number with it.
    expect(readers.sort()).toEqual(['list-cases', 'list-referrals', 'submit-referral']);
  });

  it('grants each function only what it needs', () => {
    const rights = Object.fromEntries(
      [...functionsByName(resources)].map(([name, { id }]) => {
        const actions = statementsOf(resources, id);
        return [
          name,
          {
            readsTable: actions.includes('dynamodb:GetItem'),
            writesTable: actions.includes('dynamodb:PutItem'),
            sends: actions.includes('sqs:SendMessage'),
          },
        ];
      }),
    );

    expect(rights).toEqual({
      'get-health': { readsTable: false, writesTable: false, sends: false },
      'get-openapi': { readsTable: false, writesTable: false, sends: false },
      'submit-referral': { readsTable: true, writesTable: true, sends: true },
      // A search by identity number is written to the found case's audit trail.
      'list-referrals': { readsTable: true, writesTable: true, sends: false },
      'get-referral': { readsTable: true, writesTable: true, sends: false },
      'screen-case': { readsTable: true, writesTable: true, sends: true },
      'redrive-cases': { readsTable: true, writesTable: false, sends: true },
      'list-cases': { readsTable: true, writesTable: true, sends: false },
      'get-case': { readsTable: true, writesTable: true, sends: false },
      'post-case-event': { readsTable: true, writesTable: true, sends: true },
      'get-case-audit': { readsTable: true, writesTable: false, sends: false },
      'post-case-note': { readsTable: true, writesTable: true, sends: false },
      // A follow-up changes the case and its statistics together.
      'post-case-follow-up': { readsTable: true, writesTable: true, sends: false },
      // Statistics reads are written to the statistics audit log.
      'get-stats': { readsTable: true, writesTable: true, sends: false },
      'get-stats-indicators': { readsTable: true, writesTable: true, sends: false },
      'get-stats-equity': { readsTable: true, writesTable: true, sends: false },
      'snapshot-stats': { readsTable: true, writesTable: true, sends: false },
    });
  });

  it('creates the contract groups and a staff-only user pool', () => {
    const groups = ofType(resources, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);

    expect(groups.sort()).toEqual(
      [
        'agency-municipality',
        'agency-employment-service',
        'agency-social-insurance',
        ...DEFAULT_DEPLOYMENT.teams.map((team) => `team-${team}`),
        'admins',
        'steering-group',
      ].sort(),
    );
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('has one public app client: code flow only, refresh only, short-lived tokens, no user enumeration', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      // And the resource server's staff scope (tests/infra/auth.test.ts): the API takes access tokens.
      AllowedOAuthScopes: ['openid', 'email', 'profile', Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      CallbackURLs: [Match.anyValue(), ...CALLBACK_URLS],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 12 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('offers the hosted sign-in on a domain prefix derived from the deployment', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'frontdesk-2262',
      UserPoolId: { Ref: 'UserPool' },
    });
  });

  it('tells the functions which issuer and app clients a token must name', () => {
    const [clientId] = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'));

    for (const [name, { fn }] of functionsByName(resources)) {
      const variables = fn.Properties?.Environment.Variables as Record<string, unknown>;

      expect(deployedValue(resources, variables.TOKEN_ISSUER), name).toBe(
        `https://cognito-idp.eu-north-1.amazonaws.com/${USER_POOL_ID}`,
      );
      expect(JSON.parse(deployedValue(resources, variables.USER_POOL_CLIENT_IDS)), name).toEqual([CLIENT_ID]);
      expect(JSON.stringify(variables.USER_POOL_CLIENT_IDS)).toContain(`{"Ref":"${clientId}"}`);
    }
  });

  it('associates a regional AWS WAF web ACL with the API stage', () => {
    const [stageId] = Object.keys(template.findResources('AWS::ApiGateway::Stage'));
    const [restApiId] = Object.keys(template.findResources('AWS::ApiGateway::RestApi'));
    const [webAclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));

    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
      ResourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            ':apigateway:eu-north-1::/restapis/',
            { Ref: restApiId },
            '/stages/',
            { Ref: stageId },
          ]),
        ],
      },
    });
  });

  it('filters with the AWS managed rule groups and a rate limit per client address', () => {
    const [[, webAcl]] = ofType(resources, 'AWS::WAFv2::WebACL') as [[string, Resource]];
    const rules = webAcl.Properties?.Rules as any[];
    const managed = (name: string) =>
      rules.find((rule) => rule.Statement.ManagedRuleGroupStatement?.Name === name);

    expect(webAcl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    for (const name of [
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesAmazonIpReputationList',
    ]) {
      expect(managed(name), name).toMatchObject({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS' } },
      });
    }
    // The contract takes bodies up to 64 KiB; the rule set's 8 KB limit only counts.
    expect(
      managed('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides,
    ).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    expect(rules.find((rule) => rule.Statement.RateBasedStatement)).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: expect.any(Number) } },
    });
    expect(new Set(rules.map((rule) => rule.Priority)).size).toBe(rules.length);
    for (const rule of [webAcl.Properties, ...rules]) {
      expect(rule.VisibilityConfig, rule.Name).toMatchObject({ CloudWatchMetricsEnabled: true });
    }
  });

  it('logs what WAF blocks or counts, without the token or bodies', () => {
    const [webAclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));

    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      DataProtectionConfig: {
        DataProtections: Match.arrayWith([
          { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization'] }, Action: 'SUBSTITUTION' },
          { Field: { FieldType: 'BODY' }, Action: 'SUBSTITUTION' },
        ]),
      },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
      LogDestinationConfigs: [
        {
          'Fn::Join': [
            '',
            Match.arrayWith([':logs:eu-north-1:123456789012:log-group:aws-waf-logs-FrontDeskTest']),
          ],
        },
      ],
      LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-FrontDeskTest' });
  });

  it('encrypts every log group with the customer-managed key and keeps it a month', () => {
    const logGroups = ofType(resources, 'AWS::Logs::LogGroup');

    // One per function, the access log, the WAF log and the web app's deployment.
    expect(logGroups.length).toBe(ROUTES.length + BACKGROUND_FUNCTIONS.length + 3);
    for (const [id, logGroup] of logGroups) {
      expect(logGroup.Properties, id).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
        RetentionInDays: 30,
      });
    }
  });

  it("lets CloudWatch Logs use the key for this account's and region's log groups only", () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logs.eu-north-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', Match.arrayWith([':logs:eu-north-1:123456789012:log-group:*'])],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('outputs the API and web app URLs, user pool, app client, hosted sign-in, table and team queue URLs', () => {
    const outputs = Object.keys(template.toJSON().Outputs);

    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'WebUrl',
        'UserPoolId',
        'UserPoolClientId',
        'HostedUiUrl',
        'TableName',
        'TeamQueueUrlFrontDesk',
        'TeamQueueUrlPartnerProgrammes',
      ]),
    );
  });

  describe('the staff web app hosting', () => {
    const webOrigin = `https://${DISTRIBUTION_DOMAIN}`;
    const apiOrigin = `https://${REST_API_ID}.execute-api.eu-north-1.amazonaws.com`;
    const hostedUi = 'frontdesk-2262.auth.eu-north-1.amazoncognito.com';
    const only = (type: string) => {
      const found = ofType(resources, type);
      expect(found.length, type).toBe(1);
      return found[0]!;
    };

    it('keeps the bucket private: public access blocked, TLS only, encrypted, read by CloudFront alone', () => {
      const [bucketId, bucket] = only('AWS::S3::Bucket');
      const [distributionId] = only('AWS::CloudFront::Distribution');
      const [, policy] = only('AWS::S3::BucketPolicy');
      const statements = policy.Properties?.PolicyDocument.Statement as any[];

      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      // Build output only: removable with the stack (the deployment empties it first).
      expect(bucket.DeletionPolicy).toBe('Delete');
      expect(policy.Properties?.Bucket).toEqual({ Ref: bucketId });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      const allows = statements.filter((statement) => statement.Effect === 'Allow');
      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
        }),
      ]);
      expect(JSON.stringify(allows[0].Condition)).toContain(`{"Ref":"${distributionId}"}`);
    });

    it('reaches the bucket through origin access control, signing every request', () => {
      const [bucketId] = only('AWS::S3::Bucket');
      const [oacId] = only('AWS::CloudFront::OriginAccessControl');
      const [, distribution] = only('AWS::CloudFront::Distribution');

      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: {
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      });
      expect(distribution.Properties?.DistributionConfig.Origins).toEqual([
        expect.objectContaining({
          DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
          OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
        }),
      ]);
    });

    it('serves over HTTPS only (HTTP redirects), GET and HEAD only, HTTP/2 and 3', () => {
      const [, distribution] = only('AWS::CloudFront::Distribution');
      const config = distribution.Properties?.DistributionConfig;

      expect(config).toMatchObject({ Enabled: true, HttpVersion: 'http2and3' });
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior).toMatchObject({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: expect.any(String) },
        });
      }
      // The default *.cloudfront.net certificate: TLSv1.2_2021 needs a custom domain (tested below).
      expect(config.ViewerCertificate).toBeUndefined();
    });

    it('routes / to /app/ and every app address to the page shell, as the local server does', () => {
      const [routerId, router] = only('AWS::CloudFront::Function');
      const [, distribution] = only('AWS::CloudFront::Distribution');
      const handler = new Function(`${ROUTER_CODE}\nreturn handler;`)() as (event: unknown) => any;
      const route = (uri: string) => handler({ request: { uri, headers: {}, querystring: {} } });

      expect(router.Properties).toMatchObject({
        FunctionCode: ROUTER_CODE,
        FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      });
      expect(distribution.Properties?.DistributionConfig.DefaultCacheBehavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [routerId, 'FunctionARN'] } },
      ]);
      for (const uri of ['/', '/app']) {
        expect(route(uri), uri).toMatchObject({ statusCode: 302, headers: { location: { value: '/app/' } } });
      }
      for (const uri of ['/app/', '/app/auth/callback', '/app/sign-in', '/app/cases/FD-2026.1']) {
        expect(route(uri).uri, uri).toBe('/app/index.html');
      }
      for (const uri of ['/app/config.json', '/app/assets/main-ABC123.js', '/app/assets/missing.css']) {
        expect(route(uri).uri, uri).toBe(uri);
      }
    });

    it("sends the local server's security headers, its CSP allowing the API and the hosted sign-in", () => {
      const local = localWebHeaders('/app/');
      const localCsp = cspDirectives(local['Content-Security-Policy']!);
      const policies = ofType(resources, 'AWS::CloudFront::ResponseHeadersPolicy');

      expect(policies.length).toBe(2);
      for (const [id, policy] of policies) {
        const config = policy.Properties?.ResponseHeadersPolicyConfig;
        const security = config.SecurityHeadersConfig;
        expect(security, id).toMatchObject({
          StrictTransportSecurity: { AccessControlMaxAgeSec: 365 * 24 * 3600, IncludeSubdomains: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: local['X-Frame-Options'], Override: true },
          ReferrerPolicy: { ReferrerPolicy: local['Referrer-Policy'], Override: true },
        });
        const csp = cspDirectives(
          deployedValue(resources, security.ContentSecurityPolicy.ContentSecurityPolicy),
        );
        expect(csp['connect-src'], id).toEqual([
          ...localCsp['connect-src']!,
          apiOrigin,
          `https://${hostedUi}`,
        ]);
        expect({ ...csp, 'connect-src': localCsp['connect-src'] }, id).toEqual(localCsp);
        const custom = Object.fromEntries(
          (config.CustomHeadersConfig.Items as any[]).map((item) => [item.Header, item.Value]),
        );
        expect(custom, id).toMatchObject({
          'Permissions-Policy': local['Permissions-Policy'],
          'Cross-Origin-Opener-Policy': local['Cross-Origin-Opener-Policy'],
        });
      }
    });

    it('caches hashed assets for ever and has the page shell and config revalidated', () => {
      const [, distribution] = only('AWS::CloudFront::Distribution');
      const config = distribution.Properties?.DistributionConfig;
      const cacheControl = (behavior: any) => {
        const items: any[] =
          resources[behavior.ResponseHeadersPolicyId.Ref]?.Properties?.ResponseHeadersPolicyConfig
            .CustomHeadersConfig.Items ?? [];
        return items.find((item) => item.Header === 'Cache-Control')?.Value;
      };

      expect(config.CacheBehaviors.map((behavior: any) => behavior.PathPattern)).toEqual(['/app/assets/*']);
      expect(cacheControl(config.CacheBehaviors[0])).toBe('public, max-age=31536000, immutable');
      expect(cacheControl(config.DefaultCacheBehavior)).toBe('no-cache');
    });

    it('deploys the build under app/ with the config of this stack, then invalidates /app/*', () => {
      const [bucketId] = only('AWS::S3::Bucket');
      const [distributionId] = only('AWS::CloudFront::Distribution');
      const [, deployment] = only('Custom::CDKBucketDeployment');
      const [buildKey, configKey] = (deployment.Properties?.SourceObjectKeys ?? []) as string[];
      const assetDir = (key: string) => join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);

      expect(deployment.Properties).toMatchObject({
        DestinationBucketName: { Ref: bucketId },
        DestinationBucketKeyPrefix: 'app/',
        Prune: true,
        RetainOnDelete: false,
        DistributionId: { Ref: distributionId },
        DistributionPaths: ['/app/*'],
      });
      // The esbuild build of web/build.ts, made at synth.
      expect(readdirSync(assetDir(buildKey!))).toEqual(expect.arrayContaining(['index.html', 'assets']));
      expect(readdirSync(join(assetDir(buildKey!), 'assets'))).toContainEqual(
        expect.stringMatching(/^main-[A-Z0-9]+\.js$/),
      );
      expect(existsSync(join(assetDir(buildKey!), 'config.json'))).toBe(false);
      // config.json, with the deploy-time values CDK substitutes for its markers.
      let text = readFileSync(join(assetDir(configKey!), 'config.json'), 'utf8');
      for (const [marker, value] of Object.entries(deployment.Properties?.SourceMarkers[1] ?? {})) {
        text = text.replaceAll(marker, deployedValue(resources, value));
      }
      expect(JSON.parse(text)).toEqual({
        apiBaseUrl: `${apiOrigin}/v1/`,
        auth: { mode: 'cognito', domain: hostedUi, clientId: CLIENT_ID },
        municipality: {
          code: DEFAULT_DEPLOYMENT.municipalityCode,
          name: DEFAULT_DEPLOYMENT.municipalityName,
        },
        teams: DEFAULT_DEPLOYMENT.teams,
        restrictedTeams: DEFAULT_DEPLOYMENT.restrictedTeams,
        accessibilityContact: expect.stringMatching(/^[^@\s]+@[^@\s]+$/),
      });
    });

    it("lets the hosted sign-in return to the app's callback and sign-in page, besides the context's", () => {
      const [, client] = only('AWS::Cognito::UserPoolClient');
      const urls = (values: unknown[]) => values.map((value) => deployedValue(resources, value));

      expect(urls(client.Properties?.CallbackURLs)).toEqual([
        `${webOrigin}/app/auth/callback`,
        ...CALLBACK_URLS,
      ]);
      expect(urls(client.Properties?.LogoutURLs)).toEqual([`${webOrigin}/app/sign-in`, ...CALLBACK_URLS]);
    });

    it('answers CORS preflights on every API resource for the app origin, without the authorizer', () => {
      const preflights = ofType(resources, 'AWS::ApiGateway::Method').filter(
        ([, method]) => method.Properties?.HttpMethod === 'OPTIONS',
      );

      // One per resource and the root.
      expect(preflights.length).toBe(ofType(resources, 'AWS::ApiGateway::Resource').length + 1);
      for (const [id, method] of preflights) {
        const headers = method.Properties?.Integration.IntegrationResponses[0].ResponseParameters;
        expect(method.Properties, id).toMatchObject({
          AuthorizationType: 'NONE',
          Integration: { Type: 'MOCK' },
        });
        expect(method.Properties?.AuthorizerId, id).toBeUndefined();
        expect(deployedValue(resources, headers['method.response.header.Access-Control-Allow-Origin'])).toBe(
          `'${webOrigin}'`,
        );
        expect(headers['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,POST,OPTIONS'");
        expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe(
          `'${CORS_ALLOW_HEADERS.join(',')}'`,
        );
        expect(headers['method.response.header.Access-Control-Allow-Credentials']).toBeUndefined();
      }
    });

    it("names the app origin on the gateway's own errors and tells every function (WEB_ORIGIN)", () => {
      for (const [id, response] of ofType(resources, 'AWS::ApiGateway::GatewayResponse')) {
        const header =
          response.Properties?.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin'];
        expect(deployedValue(resources, header), id).toBe(`'${webOrigin}'`);
      }
      for (const [name, { fn }] of functionsByName(resources)) {
        expect(deployedValue(resources, fn.Properties?.Environment.Variables.WEB_ORIGIN), name).toBe(
          webOrigin,
        );
      }
    });

    it('outputs the app URL', () => {
      expect(deployedValue(resources, template.toJSON().Outputs.WebUrl.Value)).toBe(`${webOrigin}/app/`);
    });
  });
});

describe('FrontDeskStack with another municipality', () => {
  const sundsvall: DeploymentConfig = {
    municipalityCode: '2281',
    municipalityName: 'Sundsvall',
    teams: [...DEFAULT_DEPLOYMENT.teams, 'youth-unit'],
    queuePrefix: 'sundsvall',
    restrictedTeams: ['partner-programmes'],
  };
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ template, resources } = synthesize(sundsvall, { bundle: false }));
  }, 60_000);

  it('names the queues after its prefix and teams, the extra team included', () => {
    const names = ofType(resources, 'AWS::SQS::Queue').map(([, q]) => String(q.Properties?.QueueName));

    expect(names).toContain('sundsvall-youth-unit');
    expect(names).toContain('sundsvall-youth-unit-dlq');
    expect(names).toContain('sundsvall-screening');
    expect(names.filter((name) => name.startsWith('frontdesk-'))).toEqual([]);
  });

  it('hands the functions its configuration and every team queue', () => {
    const [, { fn }] = [...functionsByName(resources)][0]!;
    const variables = fn.Properties?.Environment.Variables as Record<string, unknown>;

    expect(JSON.parse(String(variables.DEPLOYMENT))).toEqual(sundsvall);
    expect(Object.keys(JSON.parse(deployedValue(resources, variables.TEAM_QUEUE_URLS)))).toEqual(
      sundsvall.teams,
    );
  });

  it("creates exactly the contract's groups, the extra team's included", () => {
    const groups = ofType(resources, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);

    expect(groups.sort()).toEqual(
      [
        'agency-municipality',
        'agency-employment-service',
        'agency-social-insurance',
        'team-front-desk',
        'team-employment-service',
        'team-social-insurance',
        'team-labour-market-unit',
        'team-partner-programmes',
        'team-youth-unit',
        'admins',
        'steering-group',
      ].sort(),
    );
  });

  it('derives its hosted sign-in prefix from its queue prefix and municipality code', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'sundsvall-2281-frontdesk' });
  });
});

describe('FrontDeskStack configuration', () => {
  it('refuses a queue name longer than SQS allows', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const deployment: DeploymentConfig = {
      ...DEFAULT_DEPLOYMENT,
      queuePrefix: 'p'.repeat(40),
      teams: ['front-desk', `t${'x'.repeat(38)}`],
    };

    expect(
      () => new FrontDeskStack(app, 'TooLong', { deployment, callbackUrls: CALLBACK_URLS, env: ENV }),
    ).toThrow(/longer than 80 characters/);
  });

  it('takes the hosted sign-in prefix an administrator chooses (context authDomainPrefix)', () => {
    const { template } = synthesize(DEFAULT_DEPLOYMENT, {
      bundle: false,
      authDomainPrefix: 'timra-front-desk',
    });

    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'timra-front-desk' });
  });

  it.each([
    ['Timra', /lower-case letters/],
    ['-timra', /lower-case letters/],
    ['timra-aws-login', /containing "aws"/],
    ['my-cognito', /containing "cognito"/],
  ])('refuses the hosted sign-in prefix %s, which Cognito would refuse at deploy time', (prefix, message) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });

    expect(
      () =>
        new FrontDeskStack(app, 'BadPrefix', {
          deployment: DEFAULT_DEPLOYMENT,
          callbackUrls: CALLBACK_URLS,
          authDomainPrefix: prefix,
          env: ENV,
        }),
    ).toThrow(message);
  });

  it('serves the web app on a custom domain with TLSv1.2_2021 (context webDomainName, webCertificateArn)', () => {
    const name = 'frontdesk.timra.example';
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000';
    const { template, resources, report } = synthesize(DEFAULT_DEPLOYMENT, {
      bundle: false,
      props: { webDomain: { name, certificateArn } },
    });
    const [, client] = ofType(resources, 'AWS::Cognito::UserPoolClient')[0]!;

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [name],
        ViewerCertificate: {
          AcmCertificateArn: certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    expect(client.Properties?.CallbackURLs[0]).toBe(`https://${name}/app/auth/callback`);
    for (const [, { fn }] of functionsByName(resources)) {
      expect(fn.Properties?.Environment.Variables.WEB_ORIGIN).toBe(`https://${name}`);
    }
    // With a certificate nothing needs the acknowledgement of the default certificate's TLS policy.
    expect(findingsOf(report)).toEqual([]);
  });

  it('derives a valid hosted sign-in prefix from any queue prefix', () => {
    expect(defaultAuthDomainPrefix(DEFAULT_DEPLOYMENT)).toBe('frontdesk-2262');
    expect(defaultAuthDomainPrefix({ ...DEFAULT_DEPLOYMENT, queuePrefix: 'Front_Desk' })).toBe(
      'front-desk-2262',
    );
    expect(defaultAuthDomainPrefix({ ...DEFAULT_DEPLOYMENT, queuePrefix: 'Timra_Prod' })).toBe(
      'timra-prod-2262-frontdesk',
    );
  });
});

describe('FrontDeskStack with team consumers (-c teamConsumers)', () => {
  const ROLE = 'arn:aws:iam::210987654321:role/labour-market-system';
  let resources: Record<string, Resource>;
  let report: { pluginReports: { pluginName: string; violations: Violation[] }[] };

  beforeAll(() => {
    ({ resources, report } = synthesize(DEFAULT_DEPLOYMENT, {
      bundle: false,
      props: {
        teamConsumers: parseTeamConsumers(`labour-market-unit=${ROLE}`, DEFAULT_DEPLOYMENT),
      },
    }));
  }, 120_000);

  const naming = (statement: { Principal?: { AWS?: unknown } }) =>
    JSON.stringify(statement.Principal?.AWS ?? '').includes('labour-market-system');

  it('has no unacknowledged cdk-nag finding', () => {
    expect(findingsOf(report)).toEqual([]);
  });

  it("lets the role receive, delete and hide messages of its team's queue, and nothing else", () => {
    const grants = ofType(resources, 'AWS::SQS::QueuePolicy').flatMap(([, policy]) =>
      (policy.Properties!.PolicyDocument.Statement as any[])
        .filter(naming)
        .map((statement) => ({ statement, queues: policy.Properties?.Queues as unknown[] })),
    );

    expect(grants).toHaveLength(1);
    const [{ statement, queues }] = grants as [{ statement: any; queues: unknown[] }];
    expect(statement.Effect).toBe('Allow');
    expect(statement.Action).toEqual([
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
    ]);
    const queueId = refOf(statement.Resource);
    expect(queueNameOf(resources, queueId)).toBe(teamQueueName('frontdesk', 'labour-market-unit'));
    expect(queues.map(refOf)).toEqual([queueId]);
  });

  it('lets the role decrypt with the key only through SQS, and gives it no IAM policy of ours', () => {
    const [[, key]] = ofType(resources, 'AWS::KMS::Key') as [[string, Resource]];
    const statements = (key.Properties!.KeyPolicy.Statement as any[]).filter(naming);

    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(statements[0].Condition)).toContain('sqs.eu-north-1.');
    const policies = ofType(resources, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy).includes('labour-market-system'),
    );
    expect(policies).toEqual([]);
  });

  it.each([
    ['youth-unit=arn:aws:iam::210987654321:role/x', /"youth-unit" is not a team of the deployment/],
    ['labour-market-unit=arn:aws:iam::210987654321:user/x', /IAM role ARN/],
    ['labour-market-unit=*', /IAM role ARN/],
    ['labour-market-unit', /IAM role ARN/],
  ])('refuses teamConsumers=%s before anything is synthesised', (text, message) => {
    expect(() => parseTeamConsumers(text, DEFAULT_DEPLOYMENT)).toThrow(message);
  });

  it('takes several roles per team, and none by default', () => {
    const other = 'arn:aws:iam::123456789012:role/path/to/reader';
    expect(parseTeamConsumers(`front-desk=${ROLE}, front-desk=${other}`, DEFAULT_DEPLOYMENT)).toEqual({
      'front-desk': [ROLE, other],
    });
    expect(parseTeamConsumers(undefined, DEFAULT_DEPLOYMENT)).toEqual({});
  });
});

describe('cdk-nag in the synth', () => {
  it('reports a HIPAA Security finding nobody acknowledged (the packs really run)', () => {
    const { report } = synthesize(DEFAULT_DEPLOYMENT, {
      bundle: false,
      extend: (stack) => new LogGroup(stack, 'Unencrypted', { retention: RetentionDays.ONE_MONTH }),
    });
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((v) => `${v.ruleName} ${v.violatingConstructs?.[0]?.constructPath}`),
    );

    expect(findings).toEqual([
      'HIPAA.Security-CloudWatchLogGroupEncrypted FrontDeskTest/Unencrypted/Resource',
    ]);
  });
});
