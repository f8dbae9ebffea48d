import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssetHashType, DockerImage, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { BuildWebOptions } from '../../web/build.js';
import type { WebConfig } from '../../web/src/config.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIR = join(PROJECT_ROOT, 'web');
const WEB_BUILD = join(WEB_DIR, 'build.ts');

/** Everything the app serves lives under this path (WEB_BASE of web/build.ts) and this bucket prefix. */
const APP_PATH = '/app';

/**
 * The Content-Security-Policy local/static.ts sends, directive by directive; the deployed page also
 * calls the API and the hosted sign-in's token endpoint, which `allowConnectTo` adds to connect-src.
 */
const CSP: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'self'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The viewer-request function of every page path, mirroring local/static.ts: `/` and `/app` redirect to
 * `/app/`; `/app/config.json` and `/app/assets/…` (their own cache behaviour) are files; every other
 * `/app/…` path is one of the app's own addresses and gets the page shell, so a reload or a deep link
 * (e.g. the sign-in callback) works. Written for the cloudfront-js-2.0 runtime.
 */
export const ROUTER_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${APP_PATH}') {
    return {
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: '${APP_PATH}/' }, 'cache-control': { value: 'no-store' } },
    };
  }
  if (uri.startsWith('${APP_PATH}/') && uri !== '${APP_PATH}/config.json' && !uri.startsWith('${APP_PATH}/assets/')) {
    request.uri = '${APP_PATH}/index.html';
  }
  return request;
}
`;

/**
 * Runs the web app's esbuild build (web/build.ts `buildWeb`) into `outdir`. CDK bundles synchronously
 * and the build is async, so it runs in a child Node process (tsx for the TypeScript); a fraction of a
 * second.
 */
export function buildWebInto(outdir: string): void {
  const options: BuildWebOptions = { outdir };
  const script = `const { buildWeb } = await import(${JSON.stringify(pathToFileURL(WEB_BUILD).href)});
await buildWeb(${JSON.stringify(options)});`;
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(join(outdir, 'index.html'))) {
    throw new Error(`The web build wrote no index.html to ${outdir}`);
  }
}

export interface WebHostingProps {
  /** Encrypts the log group of the deployment function. */
  readonly encryptionKey: kms.IKey;
  /**
   * A custom domain with its ACM certificate (which must live in us-east-1). Only then can CloudFront
   * enforce TLSv1.2_2021: on its own *.cloudfront.net domain CloudFront fixes the policy to TLSv1.
   * The DNS record (CNAME or alias to the distribution) is the administrator's.
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

/**
 * The staff web app in AWS: the same build as `npm start` serves, in a private S3 bucket that only
 * CloudFront reads (origin access control), served over HTTPS only with security headers, and
 * deployed with its `config.json` on every `cdk deploy`.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<domain>`, the origin the API allows (CORS). */
  readonly origin: string;
  /** Where the hosted sign-in sends the authorization code (web/src/session.ts). */
  readonly callbackUrl: string;
  /** Where the hosted sign-in returns after signing out (web/src/session.ts). */
  readonly signOutUrl: string;
  /** The app's start page. */
  readonly url: string;
  private readonly connectSources: string[] = [];
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;

    // Build output only (public code, no personal data), rebuilt by every deploy: S3-managed encryption,
    // no versions, and removable with the stack (the deployment empties it first, see deployApp).
    this.bucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      autoDeleteObjects: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const nag = Validations.of(this.bucket);
    nag.acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only CloudFront (origin access control) reads the bucket and only the deployment writes it; it holds the public build output, no personal data. Access logs would record staff addresses without protecting anything; deployments are in CloudTrail.',
    });
    nag.acknowledge({ id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: 'See AwsSolutions-S1.' });
    nag.acknowledge({
      id: 'HIPAA.Security-S3BucketVersioningEnabled',
      reason:
        'The bucket holds the build of the deployed commit, which every `cdk deploy` rebuilds and replaces; the rollback is deploying the earlier commit. Old versions would also keep the bucket from emptying when the stack is removed.',
    });
    nag.acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason:
        'The build output is reproducible from the repository at any time; a replica would protect nothing that cannot be rebuilt in a minute.',
    });
    nag.acknowledge({
      id: 'HIPAA.Security-S3DefaultEncryptionKMS',
      reason:
        'Public static files (script, style sheet, page shell, config with public identifiers): S3-managed encryption at rest suffices. The customer-managed key guards personal data, and CloudFront would need to be allowed to decrypt with it.',
    });

    const certificate = props.domain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
      : undefined;
    const domainName = props.domain?.name;

    const router = new cloudfront.Function(this, 'Router', {
      comment: 'Front Desk: / to /app/, app addresses to the page shell',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(ROUTER_CODE),
    });

    const csp = Lazy.string({
      produce: () =>
        CSP.map(([name, value]) =>
          name === 'connect-src' ? [name, value, ...this.connectSources] : [name, value],
        )
          .map((parts) => parts.join(' '))
          .join('; '),
    });
    // The page shell and config.json are revalidated on every load; assets carry a content hash in their
    // names and never change (as local/static.ts serves them).
    const pageHeaders = this.headersPolicy('PageHeaders', csp, 'no-cache');
    const assetHeaders = this.headersPolicy('AssetHeaders', csp, 'public, max-age=31536000, immutable');

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behaviour = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
    } satisfies cloudfront.BehaviorOptions;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Front Desk staff web app',
      defaultBehavior: {
        ...behaviour,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${APP_PATH}/assets/*`]: { ...behaviour, responseHeadersPolicy: assetHeaders },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Europe and North America: the staff are in Sweden.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...(certificate && domainName
        ? {
            certificate,
            domainNames: [domainName],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });
    const distributionNag = Validations.of(this.distribution);
    distributionNag.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Staff may sign in from abroad (travel, cross-border offices); the pages are public build output and everything behind them needs a Cognito sign-in.',
    });
    distributionNag.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only static build output; the data lives behind the API, which has its own regional WAF web ACL. A CloudFront web ACL must live in us-east-1, outside this stack.',
    });
    distributionNag.acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Access logs of static files would record staff addresses and nothing of use (data minimisation); requests for data are logged by the API access log, WAF and the case audit trail.',
    });
    if (!certificate) {
      distributionNag.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'On its default *.cloudfront.net domain CloudFront fixes the viewer TLS policy; give a custom domain and certificate (context webDomainName, webCertificateArn) and the distribution enforces TLSv1.2_2021.',
      });
    }

    const host = domainName ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;
    this.url = `${this.origin}${APP_PATH}/`;
    this.callbackUrl = `${this.origin}${APP_PATH}/auth/callback`;
    this.signOutUrl = `${this.origin}${APP_PATH}/sign-in`;
  }

  /** Lets the page call an origin (`https://host`): the API, the hosted sign-in. */
  allowConnectTo(origin: string): void {
    this.connectSources.push(origin);
  }

  /**
   * Builds the web app now (esbuild, at synth) and deploys it with the stack's `config.json` under
   * `app/`, removing files of earlier builds, then invalidates the app's paths in CloudFront.
   */
  deployApp(config: WebConfig): s3deploy.BucketDeployment {
    const build = new s3assets.Asset(this, 'Build', {
      path: WEB_DIR,
      // The build's output decides whether anything changed (the app also bundles shared/ code).
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local build always runs (or fails the synth).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: {
          tryBundle(outputDir: string) {
            buildWebInto(outputDir);
            return true;
          },
        },
      },
    });
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        s3deploy.Source.bucket(build.bucket, build.s3ObjectKey),
        s3deploy.Source.jsonData('config.json', config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${APP_PATH.slice(1)}/`,
      prune: true,
      // Deleting the deployment (with the stack) empties the prefix, so the bucket can go too.
      retainOnDelete: false,
      distribution: this.distribution,
      distributionPaths: [`${APP_PATH}/*`],
      logGroup,
      memoryLimit: 256,
    });

    // The deployment's handler is CDK's singleton at the stack's root; its findings name the two buckets
    // as cdk-nag writes them (`<LogicalId.Arn>`, `${AWS::AccountId}` as `<AWS::AccountId>`).
    const stack = Stack.of(this);
    const nagName = (value: string) => {
      const resolved: unknown = stack.resolve(value);
      const text =
        typeof resolved === 'string' ? resolved : String((resolved as { 'Fn::Sub'?: unknown })['Fn::Sub']);
      return text.replace(/\$\{([^}]+)\}/g, '<$1>');
    };
    const webBucket = `<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const assetBucket = `arn:<AWS::Partition>:s3:::${nagName(build.s3BucketName)}`;
    const reasons: Array<[string, string]> = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AWSLambdaBasicExecutionRole only allows writing to CloudWatch Logs: the AWS-maintained minimum for a function.',
      ],
      [
        `AwsSolutions-IAM5[Resource::${assetBucket}/*]`,
        "CDK's read grant on the bootstrap asset bucket, from which the deployment copies the build archive.",
      ],
      [
        `AwsSolutions-IAM5[Resource::${webBucket}/*]`,
        "The objects of the web app's own bucket, which the deployment replaces and prunes on every deploy.",
      ],
      [
        'AwsSolutions-IAM5[Resource::*]',
        'CloudFront CreateInvalidation and GetInvalidation support no narrower resource in the grant CDK makes; the invalidation is of /app/* after a deploy.',
      ],
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action): [string, string] => [
          `AwsSolutions-IAM5[Action::${action}]`,
          "CDK's own read and read-write grants, scoped to the asset archive and the web app's bucket: the deployment copies, overwrites and prunes (deletes) build files.",
        ],
      ),
      [
        'AwsSolutions-L1',
        "CDK's BucketDeployment handler: its runtime is chosen and upgraded with aws-cdk-lib, not here.",
      ],
      [
        'HIPAA.Security-IAMNoInlinePolicy',
        "CDK generates the handler's policy from its grants, attached to the handler's role alone.",
      ],
      [
        'HIPAA.Security-LambdaDLQ',
        'A CloudFormation custom resource: CloudFormation invokes it and waits for its answer, and a failure fails (and rolls back) the deploy; there is no asynchronous event to keep.',
      ],
      ['HIPAA.Security-LambdaConcurrency', 'Runs once per deploy, invoked by CloudFormation only.'],
      [
        'HIPAA.Security-LambdaInsideVPC',
        'Copies public build files between two S3 buckets and calls CloudFront, all regional or global AWS APIs over TLS with IAM-signed requests; it touches no personal data.',
      ],
    ];
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      for (const [id, reason] of reasons) Validations.of(child).acknowledge({ id, reason });
    }
    return deployment;
  }

  private headersPolicy(id: string, csp: string, cacheControl: string) {
    return new cloudfront.ResponseHeadersPolicy(this, id, {
      comment: `Front Desk web app: security headers, Cache-Control ${cacheControl}`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Cache-Control', value: cacheControl, override: true },
        ],
      },
    });
  }
}
