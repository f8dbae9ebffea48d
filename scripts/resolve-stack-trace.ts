/**
 * Resolves a stack trace logged by a deployed function to the TypeScript it came from, offline. The
 * functions run without `--enable-source-maps` (it costs about 25 ms of every cold start), so their
 * traces name places in the minified bundle (`/var/task/index.mjs:1:23456`); the map stays beside the
 * bundle as a build artefact: in `cdk.out/asset.<hash>/index.mjs.map` of the deployment, and in the
 * function's code package (`aws lambda get-function` gives a link to it).
 *
 * Usage: npx tsx scripts/resolve-stack-trace.ts <index.mjs.map> [trace.txt]   (the trace on stdin if no file)
 * Prints the trace with every bundle position followed by `[source:line:column]`.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/** `index.mjs:LINE:COLUMN` (also `file:///var/task/index.mjs:…` and `index.js`), 1-based as V8 prints them. */
const POSITION = /((?:file:\/\/)?[^\s()]*index\.m?js):(\d+):(\d+)/g;

export function resolveStackTrace(trace: string, map: SourceMap): string {
  return trace.replace(POSITION, (whole, _file: string, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
      name?: string;
    };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return whole;
    const source = entry.originalSource.replace(/^.*?(?=(?:functions|shared|infra|node_modules)\/)/, '');
    return `${whole} [${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}${entry.name ? ` ${entry.name}` : ''}]`;
  });
}

function main() {
  const [mapFile, traceFile] = process.argv.slice(2);
  if (!mapFile) {
    console.error('usage: npx tsx scripts/resolve-stack-trace.ts <index.mjs.map> [trace.txt]');
    process.exit(2);
  }
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const trace = readFileSync(traceFile ?? 0, 'utf8');
  process.stdout.write(resolveStackTrace(trace, map));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
