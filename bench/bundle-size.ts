import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltBundle } from './lib/functions.js';
import { bytesByPackage } from './lib/source-map.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE_TIMEOUT_MS = 120_000;

export type BundleSize = {
  fn: string;
  bytes: number;
  kib: number;
  mapBytes: number | null;
  /** Bytes from @aws-sdk/*, @smithy/* and @aws-crypto/* (read from the source map). */
  awsSdkBytes: number;
  /** The largest packages, by bytes of generated code. */
  topPackages: { name: string; bytes: number }[];
};

const isAwsSdk = (name: string) => /^@(aws-sdk|smithy|aws-crypto)\//.test(name);

/**
 * Bundles every function through the house construct in a child process (CDK and esbuild are noisy;
 * their output is shown only if bundling fails). `track` lets the caller stop the child on Ctrl-C.
 * `root` is the tree whose construct and functions are bundled: this checkout, or the reference's.
 */
export async function buildBundles(
  outdir: string,
  track: (stop: () => void) => () => void,
  root = ROOT,
): Promise<{ built: BuiltBundle[]; missing: string[] }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(root, 'bench', 'cdk-bundles.ts'), outdir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // CDK bundles with `npx --no-install esbuild`: no registry look-ups, not even npm's update check.
      env: { ...process.env, npm_config_update_notifier: 'false', NO_UPDATE_NOTIFIER: '1' },
    },
  );
  const untrack = track(() => child.kill('SIGTERM'));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGTERM'), BUNDLE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => {
    clearTimeout(timer);
    untrack();
  });
  if (code !== 0) throw new Error(`Bundling through the house construct failed (exit ${code}):\n${output}`);
  return JSON.parse(readFileSync(join(outdir, 'bundles.json'), 'utf8')) as {
    built: BuiltBundle[];
    missing: string[];
  };
}

export function measureBundle(bundle: BuiltBundle): BundleSize {
  const code = readFileSync(bundle.file, 'utf8');
  const bytes = statSync(bundle.file).size;
  let byPackage = new Map<string, number>();
  let mapBytes: number | null = null;
  if (bundle.map) {
    mapBytes = statSync(bundle.map).size;
    byPackage = bytesByPackage(code, JSON.parse(readFileSync(bundle.map, 'utf8')));
  }
  const ranked = [...byPackage]
    .filter(([name]) => name !== '(unmapped)')
    .sort((a, b) => b[1] - a[1])
    .map(([name, packageBytes]) => ({ name, bytes: packageBytes }));
  return {
    fn: bundle.fn,
    bytes,
    kib: Math.round((bytes / 1024) * 100) / 100,
    mapBytes,
    awsSdkBytes: ranked.filter((entry) => isAwsSdk(entry.name)).reduce((sum, entry) => sum + entry.bytes, 0),
    topPackages: ranked.slice(0, 10),
  };
}
