/**
 * Builds the staff web app with esbuild: one script (the client code, the message files and the
 * same zod schemas the server validates with), one style sheet, and the page shell. `npm start`
 * builds it in memory at start-up (local/static.ts serves it); `npm run build:web` writes the same
 * files to web/dist/ for hosting.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
/** Everything the web app serves lives under this path; the API has no route there. */
export const WEB_BASE = '/app';

/** A built file by its URL path, e.g. `/app/assets/main-3XK2.js`. */
export type WebFiles = Map<string, Uint8Array>;

export type BuildWebOptions = {
  /** Also write the files under this folder (the URL path without `/app`). */
  outdir?: string;
  /** Default true; the local runtime keeps names readable only when asked. */
  minify?: boolean;
};

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Builds the web app; returns the files by URL path. */
export async function buildWeb(options: BuildWebOptions = {}): Promise<WebFiles> {
  const result = await esbuild.build({
    absWorkingDir: WEB_DIR,
    entryPoints: { main: 'src/main.ts', styles: 'styles/main.css' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    // Content-hashed names: a host may cache them for ever; index.html is never cached.
    entryNames: 'assets/[name]-[hash]',
    outdir: join(WEB_DIR, 'dist'),
    publicPath: WEB_BASE,
    write: false,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'silent',
  });

  const files: WebFiles = new Map();
  let script = '';
  let styles = '';
  const distDir = join(WEB_DIR, 'dist');
  for (const file of result.outputFiles) {
    const relative = file.path.slice(distDir.length).split('\\').join('/');
    files.set(`${WEB_BASE}${relative}`, file.contents);
    if (relative.endsWith('.js')) script = `${WEB_BASE}${relative}`;
    if (relative.endsWith('.css')) styles = `${WEB_BASE}${relative}`;
  }

  // The page shell takes its few words from the Swedish message file: no UI text lives in code.
  const sv = JSON.parse(await readFile(join(WEB_DIR, 'messages/sv.json'), 'utf8')) as {
    app: { name: string; noscript: string };
  };
  const template = await readFile(join(WEB_DIR, 'index.html'), 'utf8');
  const html = template
    .replaceAll('{{styles}}', styles)
    .replaceAll('{{script}}', script)
    .replaceAll('{{name}}', escapeHtml(sv.app.name))
    .replaceAll('{{noscript}}', escapeHtml(sv.app.noscript));
  files.set(`${WEB_BASE}/index.html`, new TextEncoder().encode(html));

  if (options.outdir) {
    await rm(options.outdir, { recursive: true, force: true });
    for (const [path, contents] of files) {
      const target = join(options.outdir, path.slice(WEB_BASE.length));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, contents);
    }
  }
  return files;
}

/** `npm run build:web`: writes web/dist/ and prints each file's size, as sent and gzipped. */
async function main() {
  const outdir = join(WEB_DIR, 'dist');
  const files = await buildWeb({ outdir });
  let total = 0;
  let gzipped = 0;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
  for (const [path, contents] of files) {
    if (path.endsWith('.map') || path.endsWith('.txt')) continue;
    const zipped = gzipSync(contents).length;
    total += contents.length;
    gzipped += zipped;
    console.log(`${kib(contents.length)} ${kib(zipped)} gzip  ${path}`);
  }
  console.log(`${kib(total)} ${kib(gzipped)} gzip  in all (without source maps), in ${outdir}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
