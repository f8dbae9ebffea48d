import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../../shared/api/routes.js';
import { LambdaFunction } from './lambda-function.js';

export interface ApiProps {
  readonly routes: readonly Route[];
  readonly userPool: cognito.IUserPool;
  /**
   * The OAuth scopes every authorized method names (Auth.apiScopes). With scopes, API Gateway's Cognito
   * authorizer takes access tokens only, carrying at least one of them
   * (https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html, authorizationScopes).
   */
  readonly authorizationScopes: readonly string[];
  /** Variables every function needs (see shared/config/env.ts); grants are bound by the stack. */
  readonly environment: Record<string, string>;
  /** Encrypts the access logs and the functions' log groups. */
  readonly encryptionKey: kms.IKey;
  /** Steady-state requests per second over the whole stage, and the burst above it. */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The web app's origin (`https://<host>`), which calls the API cross-origin: answered CORS preflights
   * and CORS headers on the errors API Gateway makes itself. The functions add them to their own answers.
   */
  readonly webOrigin?: string;
}

/** What the web app sends: its token, a JSON body, and the key that makes a retried POST harmless. */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match'];

type GatewayError = { status: number; title: string; detail?: string };

/**
 * Errors API Gateway makes itself, before any function runs, answered as problem+json like every other
 * error of the API (RFC 9457). Each type keeps its own status; `detail` is API Gateway's message unless
 * given here (5xx never explain, and a missing route says so instead of "Missing Authentication Token").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
const GATEWAY_ERRORS: ReadonlyArray<[apigateway.ResponseType, GatewayError]> = [
  [apigateway.ResponseType.UNAUTHORIZED, { status: 401, title: 'Unauthorized' }],
  [apigateway.ResponseType.ACCESS_DENIED, { status: 403, title: 'Forbidden' }],
  [apigateway.ResponseType.EXPIRED_TOKEN, { status: 401, title: 'Unauthorized' }],
  [apigateway.ResponseType.INVALID_SIGNATURE, { status: 403, title: 'Forbidden' }],
  [apigateway.ResponseType.INVALID_API_KEY, { status: 403, title: 'Forbidden' }],
  [apigateway.ResponseType.WAF_FILTERED, { status: 403, title: 'Forbidden' }],
  [
    apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    {
      status: 404,
      title: 'Not Found',
      detail: 'There is no such resource, or it does not take this method.',
    },
  ],
  [apigateway.ResponseType.RESOURCE_NOT_FOUND, { status: 404, title: 'Not Found' }],
  [apigateway.ResponseType.BAD_REQUEST_PARAMETERS, { status: 400, title: 'Bad Request' }],
  [apigateway.ResponseType.BAD_REQUEST_BODY, { status: 400, title: 'Bad Request' }],
  [apigateway.ResponseType.REQUEST_TOO_LARGE, { status: 413, title: 'Content Too Large' }],
  [apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, { status: 415, title: 'Unsupported Media Type' }],
  [apigateway.ResponseType.THROTTLED, { status: 429, title: 'Too Many Requests' }],
  [apigateway.ResponseType.QUOTA_EXCEEDED, { status: 429, title: 'Too Many Requests' }],
  [apigateway.ResponseType.DEFAULT_4XX, { status: 400, title: 'Bad Request' }],
  [
    apigateway.ResponseType.INTEGRATION_TIMEOUT,
    { status: 504, title: 'Gateway Timeout', detail: 'The request took too long. It can be retried.' },
  ],
  [
    apigateway.ResponseType.INTEGRATION_FAILURE,
    {
      status: 502,
      title: 'Bad Gateway',
      detail: 'Something went wrong on our side. The request can be retried.',
    },
  ],
  [
    apigateway.ResponseType.DEFAULT_5XX,
    {
      status: 500,
      title: 'Internal Server Error',
      detail: 'Something went wrong on our side. The request can be retried.',
    },
  ],
];

/** A gateway response template allows only variable substitution; `messageString` is already a quoted JSON string. */
export function problemTemplate({ status, title, detail }: GatewayError): string {
  const detailJson = detail === undefined ? '$context.error.messageString' : JSON.stringify(detail);
  return `{"type":"about:blank","title":${JSON.stringify(title)},"status":${status},"detail":${detailJson},"requestId":"$context.requestId"}`;
}

/**
 * The REST API, built from ROUTES: one house function per route behind a Lambda proxy integration, the
 * Cognito authorizer on every route that needs a token, access logs, X-Ray and stage throttling.
 */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;
  /** Function name (`functions/<fn>.ts`) → its house function. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const throttling = props.throttling ?? { rateLimit: 50, burstLimit: 100 };
    const invalidRoute = props.routes.find((route) => route.path.split('/').includes('local'));
    if (invalidRoute) {
      throw new Error(`${invalidRoute.path}: /local routes exist only in the local runtime (CONTRACT.md)`);
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      description: 'Front Desk: referrals, cases and screening',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Execution and access logging need API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        metricsEnabled: true,
        // Errors only and never request/response data: bodies carry identity numbers.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
      // An OPTIONS method per resource, answered by API Gateway (no function, no authorizer).
      ...(props.webOrigin
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: [props.webOrigin],
              allowMethods: ['GET', 'POST', 'OPTIONS'],
              allowHeaders: CORS_ALLOW_HEADERS,
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    // The stack names its own output (ApiUrl); the one RestApi adds would say the same twice.
    this.restApi.node.tryRemoveChild('Endpoint');

    for (const [type, error] of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(`Gateway${type.responseType}`, {
        type,
        statusCode: String(error.status),
        responseHeaders: {
          'Content-Type': "'application/problem+json'",
          'Cache-Control': "'no-store'",
          ...(error.status === 401 ? { 'WWW-Authenticate': "'Bearer'" } : {}),
          ...(props.webOrigin
            ? { 'Access-Control-Allow-Origin': `'${props.webOrigin}'`, Vary: "'Origin'" }
            : {}),
        },
        templates: { 'application/json': problemTemplate(error) },
      });
    }

    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      resultsCacheTtl: Duration.minutes(5),
    });

    const functions = new Map<string, LambdaFunction>();
    for (const route of props.routes) {
      let fn = functions.get(route.fn);
      if (!fn) {
        fn = new LambdaFunction(this, `Fn-${route.fn}`, {
          fn: route.fn,
          environment: props.environment,
          logEncryptionKey: props.encryptionKey,
        });
        Validations.of(fn).acknowledge({
          id: 'HIPAA.Security-LambdaDLQ',
          reason:
            'Invoked synchronously by API Gateway only: a failure goes back to the caller as problem+json and the caller retries; a dead-letter queue receives only asynchronous invocations.',
        });
        Validations.of(fn).acknowledge({
          id: 'HIPAA.Security-LambdaConcurrency',
          reason: `Bounded upstream by the stage throttling (${throttling.rateLimit} requests/s, burst ${throttling.burstLimit}) and the WAF rate rule per client address; reserved concurrency would take capacity from the account and cannot deploy where the account quota is below the reservation plus 100 unreserved.`,
        });
        functions.set(route.fn, fn);
      }
      const resource = this.restApi.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const method = resource.addMethod(
        route.method,
        new apigateway.LambdaIntegration(fn.function, { allowTestInvoke: false }),
        {
          requestParameters: Object.fromEntries(
            pathParameters.map((name) => [`method.request.path.${name}`, true]),
          ),
          ...(route.authorized
            ? {
                authorizer,
                authorizationType: apigateway.AuthorizationType.COGNITO,
                authorizationScopes: [...props.authorizationScopes],
              }
            : { authorizationType: apigateway.AuthorizationType.NONE }),
        },
      );
      if (!route.authorized) {
        const reason = `${route.method} ${route.path} is public by contract (CONTRACT.md: every call except /health and /openapi.json carries a token).`;
        Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
        Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
      }
    }
    this.functions = functions;

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role: the AWS-managed policy is the documented way to grant it.",
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        "Bodies are validated by the functions (zod, strict), which answer 400 with the contract's field-level `errors`; an API Gateway model would answer without them and duplicate the schema.",
    });
    Validations.of(this.restApi.deploymentStage).acknowledge({
      id: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
      reason:
        "No response cache on purpose: every response is one caller's view of personal data that changes with each event, and a stage cache keys on path and query, not on the caller, so it could hand one caller's case to another.",
    });
    Validations.of(this.restApi.deploymentStage).acknowledge({
      id: 'HIPAA.Security-APIGWSSLEnabled',
      reason:
        'The rule asks for the client certificate API Gateway presents to HTTP backends; every integration here is a Lambda proxy invoked through IAM, where a backend certificate does not apply. Clients reach the API over HTTPS only.',
    });
  }

  get url(): string {
    return this.restApi.url;
  }

  /** `https://<restApiId>.execute-api.<region>.amazonaws.com`: what a page's connect-src names. */
  get origin(): string {
    const stack = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }

  /** The house function behind a route's `fn`; throws for a name no route uses. */
  functionFor(fn: string): LambdaFunction {
    const found = this.functions.get(fn);
    if (!found) throw new Error(`No route is served by functions/${fn}.ts`);
    return found;
  }
}
