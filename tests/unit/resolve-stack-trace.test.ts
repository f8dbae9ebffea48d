import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStackTrace } from '../../scripts/resolve-stack-trace.js';

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveStackTrace', () => {
  it('turns a minified bundle position into the TypeScript line that threw', async () => {
    // Prepare: a module minified and mapped as the house construct bundles functions.
    const source = join(dir, 'shared', 'thrower.ts');
    mkdirSync(join(dir, 'shared'));
    writeFileSync(
      source,
      [
        'export function handler(): never {',
        "  const reason = 'refused';",
        '  throw new Error(reason);',
        '}',
        '',
      ].join('\n'),
    );
    await build({
      entryPoints: [source],
      bundle: true,
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      format: 'esm',
      platform: 'node',
      outfile: join(dir, 'index.mjs'),
      logLevel: 'silent',
    });
    // A process of its own, without source maps, as Lambda runs the functions (vitest maps its own traces).
    const trace = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'try { (await import(process.argv[1])).handler(); } catch (error) { console.log(error.stack); }',
        pathToFileURL(join(dir, 'index.mjs')).href,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );

    // Act
    const map = new SourceMap(JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')));
    const resolved = resolveStackTrace(trace, map);

    // Assess
    expect(trace).toMatch(/index\.mjs:1:\d+/);
    expect(resolved).toMatch(/index\.mjs:1:\d+ \[shared\/thrower\.ts:3:\d+/);
  });

  it('leaves lines without a bundle position as they are', () => {
    const map = new SourceMap({
      version: 3,
      file: 'index.mjs',
      sources: [],
      sourcesContent: [],
      sourceRoot: '',
      names: [],
      mappings: '',
    });

    expect(resolveStackTrace('Error: refused\n    at node:internal/x:1:2', map)).toBe(
      'Error: refused\n    at node:internal/x:1:2',
    );
  });
});
