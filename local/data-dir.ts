import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRuntimeError } from './errors.js';

/** Where `npm start` keeps DynamoDB Local's files unless FRONTDESK_DATA_DIR says otherwise (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.frontdesk/', import.meta.url)).replace(/\/$/, '');

/** Written into every data directory the runtime makes: `--fresh` empties only such a directory. */
const MARKER = '.frontdesk-data';

/** The absolute data directory: FRONTDESK_DATA_DIR (relative to the working directory) or the default. */
export function dataDirFrom(value: string | undefined): string {
  return value ? resolve(value) : DEFAULT_DATA_DIR;
}

/** Makes the directory (and its marker) if needed; answers whether it held data already. */
export function prepareDataDir(dir: string): { hadData: boolean } {
  mkdirSync(dir, { recursive: true });
  const hadData = readdirSync(dir).some((entry) => entry !== MARKER);
  if (!existsSync(join(dir, MARKER))) {
    writeFileSync(
      join(dir, MARKER),
      'Front Desk local data (DynamoDB Local files). `npm start -- --fresh` empties this directory.\n',
    );
  }
  return { hadData };
}

/**
 * `--fresh`: deletes everything in the data directory. A directory that holds files but no marker
 * was not made by the runtime (FRONTDESK_DATA_DIR pointing somewhere else by mistake): refused.
 */
export function emptyDataDir(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new LocalRuntimeError(
      `--fresh would delete everything in ${dir}, but npm start did not make that directory (it has no ${MARKER} file). ` +
        'Point FRONTDESK_DATA_DIR at a new or empty directory, or empty it yourself.',
    );
  }
  for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
}
