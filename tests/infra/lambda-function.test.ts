import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES, BUNDLE_EXTERNALS, LambdaFunction } from '../../infra/constructs/lambda-function.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

const functionsOf = (template: Template) =>
  Object.values(template.toJSON().Resources as Resources).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function',
  );

describe('LambdaFunction', () => {
  describe('without bundling', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test', { env: { region: 'eu-north-1', account: '123456789012' } });
    const plain = new LambdaFunction(stack, 'Health', { fn: 'get-health' });
    const reader = new LambdaFunction(stack, 'Submit', { fn: 'submit-referral' });
    const secret = new secretsmanager.Secret(stack, 'Key');
    reader.bindSecret('PERSON_KEY_SECRET_ARN', secret);
    reader.bindSecret('OTHER_SECRET_ARN', secret);
    const template = Template.fromStack(stack);
    const [health, submit] = [plain, reader].map(
      (fn) =>
        template.toJSON().Resources[
          stack.getLogicalId(fn.function.node.defaultChild as never)
        ] as Resources[string],
    );

    it('does not enable source maps at run time (they cost every cold start)', () => {
      for (const fn of functionsOf(template)) {
        expect(fn.Properties?.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
      }
    });

    it('adds the Parameters and Secrets extension once to a function that binds a secret', () => {
      expect(submit?.Properties?.Layers).toHaveLength(1);
      expect(JSON.stringify(submit?.Properties?.Layers)).toContain(
        'AWS-Parameters-and-Secrets-Lambda-Extension-Arm64',
      );
      expect(submit?.Properties?.Environment.Variables).toMatchObject({
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
        PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
      });
    });

    it('gives a function without a secret no extension', () => {
      expect(health?.Properties?.Layers).toBeUndefined();
      expect(
        health?.Properties?.Environment.Variables.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
      ).toBeUndefined();
    });

    it('names only the secret, never its value, in the environment', () => {
      const variables = JSON.stringify(submit?.Properties?.Environment.Variables);
      expect(variables).toContain('PERSON_KEY_SECRET_ARN');
      expect(variables).not.toContain('SecretString');
      expect(variables).not.toContain('resolve:secretsmanager');
    });
  });

  describe('bundled', () => {
    let outdir: string;
    let asset: string;

    beforeAll(() => {
      outdir = mkdtempSync(join(tmpdir(), 'frontdesk-lambda-function-'));
      const app = new App({ outdir });
      const stack = new Stack(app, 'Bundled');
      new LambdaFunction(stack, 'Submit', { fn: 'submit-referral' });
      app.synth();
      const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
      asset = join(outdir, assets[0] ?? 'missing');
    }, 120_000);
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('keeps the source map as a build artefact beside the bundle', () => {
      expect(existsSync(join(asset, 'index.mjs'))).toBe(true);
      expect(existsSync(join(asset, 'index.mjs.map'))).toBe(true);
    });

    it('bundles environment credentials instead of the default credential chain', () => {
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };

      expect(Object.keys(BUNDLE_ALIASES)).toContain('@aws-sdk/credential-provider-node');
      expect(sources.some((source) => source.includes('infra/bundling/env-credentials.ts'))).toBe(true);
      expect(
        sources.filter((source) => /credential-provider-(node|ini|sso|web-identity)\//.test(source)),
      ).toEqual([]);
      expect(sources.filter((source) => source.includes('client-secrets-manager'))).toEqual([]);
    });

    it("bundles a Map for the DynamoDB client's endpoint cache instead of mnemonist's LRU cache", () => {
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };

      expect(BUNDLE_ALIASES['@aws-sdk/endpoint-cache']).toBe('./infra/bundling/endpoint-cache.ts');
      expect(sources.some((source) => source.includes('infra/bundling/endpoint-cache.ts'))).toBe(true);
      expect(sources.filter((source) => /\/(mnemonist|obliterator|endpoint-cache)\//.test(source))).toEqual(
        [],
      );
    });

    it('bundles zod/mini, never classic zod (97 KiB whatever a function uses of it)', () => {
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };

      expect(sources.some((source) => source.includes('zod/v4/mini/'))).toBe(true);
      expect(sources.filter((source) => source.includes('zod/v4/classic/'))).toEqual([]);
    });

    it('leaves the event-stream serde out and imports it only where an event stream would need it', () => {
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      const code = readFileSync(join(asset, 'index.mjs'), 'utf8');

      expect(BUNDLE_EXTERNALS).toContain('@smithy/core/event-streams');
      expect(sources.filter((source) => source.includes('submodules/event-streams/'))).toEqual([]);
      expect(code).toContain('import("@smithy/core/event-streams")');
      expect(code).not.toMatch(/^import[^;]*"@smithy\/core\/event-streams"/m);
    });
  });
});

const bundles = new Map<string, { code: string; sources: string[] }>();

/** One function's bundle: its code and the source files it is made of (from its source map). */
function bundledSources(fn: string): { code: string; sources: string[] } {
  const bundled = bundles.get(fn);
  if (bundled) return bundled;
  const outdir = mkdtempSync(join(tmpdir(), 'frontdesk-lambda-function-'));
  try {
    const app = new App({ outdir });
    new LambdaFunction(new Stack(app, 'Bundle'), 'Function', { fn });
    app.synth();
    const [asset = 'missing'] = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const { sources } = JSON.parse(readFileSync(join(outdir, asset, 'index.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    const bundle = { code: readFileSync(join(outdir, asset, 'index.mjs'), 'utf8'), sources };
    bundles.set(fn, bundle);
    return bundle;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('LambdaFunction bundles only what a function runs', () => {
  it('leaves the SQS client out of a function that never sends (shared/clients.ts creates it as a pure expression)', () => {
    const { sources } = bundledSources('get-referral');
    expect(sources.some((source) => source.includes('@aws-sdk/client-dynamodb/'))).toBe(true);
    expect(sources.filter((source) => /@aws-sdk\/(client-sqs|middleware-sdk-sqs)\//.test(source))).toEqual(
      [],
    );
  }, 120_000);

  it('gives get-health neither zod nor the AWS SDK (shared/http/public-api.ts loads no configuration)', () => {
    const { sources } = bundledSources('get-health');
    expect(sources.some((source) => source.includes('shared/http/public-api.ts'))).toBe(true);
    expect(sources.filter((source) => /node_modules\/(zod|@aws-sdk|@smithy)\//.test(source))).toEqual([]);
  }, 120_000);

  it('loads no web streams at import: @middy/core gets the stand-in ReadableStream', () => {
    const { code, sources } = bundledSources('get-health');
    expect(BUNDLE_ALIASES['node:stream/web']).toBe('./infra/bundling/stream-web.ts');
    expect(sources.some((source) => source.includes('infra/bundling/stream-web.ts'))).toBe(true);
    expect(code).not.toContain('node:stream/web');
  }, 120_000);
});
