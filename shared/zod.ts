/**
 * zod for every schema of the project: zod/mini (`import * as z from '../zod.js'`), the functional API
 * over the same core as classic zod. Classic zod ships whole in every bundle that imports it, whatever
 * is used (97 KiB of each function, its JSON Schema generator included); zod/mini only what the schemas
 * call (37–39 KiB; `npm run bench`, section 1). Import zod through this module, never 'zod' itself.
 *
 * zod/mini sets no locale (classic zod sets English on its first schema): without one, every message zod
 * writes itself would be "Invalid input". English is set here, before a module that imports this one
 * can build a schema, so the 400 answers' `errors[].message` read as they always have.
 */
import { config, type core, globalRegistry, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * What classic zod's `schema.meta(metadata)` did (zod/mini's `z.meta()` is a check instead): a copy of
 * the schema with the metadata (a description, an example) in the global registry, where the OpenAPI
 * document (shared/api/openapi.ts) reads it. A copy, so that the schema itself stays without it, and
 * the JSON Schema comes out as classic zod wrote it (docs/openapi.json unchanged).
 */
export function withMeta<T extends ZodMiniType>(schema: T, metadata: core.GlobalMeta): T {
  const copy = schema.clone();
  globalRegistry.add(copy, metadata);
  return copy;
}
