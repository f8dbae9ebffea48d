/**
 * Child process of bench/run.ts: bundles every function through the house construct itself
 * (infra/constructs/lambda-function.ts → NodejsFunction → the local esbuild), so the bundles are
 * built with exactly the options and the esbuild command line a deployment uses, not a copy of them.
 *
 * Usage: tsx bench/cdk-bundles.ts <outdir>. Writes <outdir>/bundles.json. CDK and esbuild print to
 * stderr; the parent keeps that quiet unless this fails.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LambdaFunction } from '../infra/constructs/lambda-function.js';
import { type BuiltBundle, FUNCTION_NAMES } from './lib/functions.js';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: tsx bench/cdk-bundles.ts <outdir>');

// The feature flags `cdk synth` applies (cdk.json's context).
const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../cdk.json', import.meta.url)), 'utf8')) as {
  context?: Record<string, unknown>;
};

const built: BuiltBundle[] = [];
const missing: string[] = [];
for (const fn of FUNCTION_NAMES) {
  // A route whose module is not written yet is reported, not a reason to measure nothing.
  if (!existsSync(fileURLToPath(new URL(`../functions/${fn}.ts`, import.meta.url)))) {
    missing.push(fn);
    continue;
  }
  const appDir = join(outdir, fn);
  const started = performance.now();
  const app = new App({ outdir: appDir, context: cdkJson.context ?? {} });
  const stack = new Stack(app, 'Bench');
  const lambdaFunction = new LambdaFunction(stack, 'Function', { fn });
  const ms = performance.now() - started;

  const assets = readdirSync(appDir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(appDir, name))
    .filter((path) => statSync(path).isDirectory());
  if (assets.length !== 1) throw new Error(`Expected one asset for ${fn}, found ${assets.length}`);
  const dir = assets[0] as string;
  const files = readdirSync(dir);
  const code = files.find((name) => name === 'index.mjs' || name === 'index.js');
  if (!code) throw new Error(`No index.mjs or index.js in the asset of ${fn}: ${files.join(', ')}`);

  const cfn = lambdaFunction.function.node.defaultChild as CfnFunction;
  const environment = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  const architectures = stack.resolve(cfn.architectures) as string[] | undefined;
  built.push({
    fn,
    dir,
    file: join(dir, code),
    ...(files.includes(`${code}.map`) ? { map: join(dir, `${code}.map`) } : {}),
    // Only plain values: tokens (none today) would be deployment-specific anyway.
    environment: Object.fromEntries(
      Object.entries(environment?.variables ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
    runtime: String(stack.resolve(cfn.runtime)),
    architecture: architectures?.join(',') ?? 'x86_64',
    memorySize: Number(stack.resolve(cfn.memorySize) ?? 128),
    ms,
  });
}
writeFileSync(join(outdir, 'bundles.json'), JSON.stringify({ built, missing }, null, 2));
