/**
 * Stands in for `node:stream/web` in the function bundles (an esbuild alias set by
 * infra/constructs/lambda-function.ts). Its one importer there is @middy/core, which imports
 * `ReadableStream` only to ask whether a streamed response's body is one (`streamifyResponse`, which
 * no function of ours uses); the import alone makes every cold start load Node's web streams, 1.8 ms
 * of get-health's 7.5 ms import. This object answers that `instanceof` exactly as the real one does,
 * loading web streams (through the global) only if a check ever happens. A bundled module that
 * wanted anything else from `node:stream/web` would fail the build, not run.
 */
export const ReadableStream = {
  [Symbol.hasInstance]: (value: unknown): boolean => value instanceof globalThis.ReadableStream,
};
