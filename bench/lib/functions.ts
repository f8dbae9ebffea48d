import { BACKGROUND_FUNCTIONS, ROUTES } from '../../shared/api/routes.js';

/** Every function the system deploys: the routes' handlers and the background functions. */
export const FUNCTION_NAMES: readonly string[] = [
  ...new Set([...ROUTES.map((route) => route.fn), ...BACKGROUND_FUNCTIONS]),
];

/** One function bundled by the house construct (bench/cdk-bundles.ts). */
export type BuiltBundle = {
  fn: string;
  /** The asset directory CDK staged. */
  dir: string;
  /** The code file Lambda loads: index.mjs for ESM, index.js for CommonJS. */
  file: string;
  /** The source map next to it, when the construct makes one. */
  map?: string;
  /** The environment the construct itself gives the function (NODE_OPTIONS, POWERTOOLS_…). */
  environment: Record<string, string>;
  runtime: string;
  architecture: string;
  memorySize: number;
  /** Wall time of constructing the function, i.e. mostly CDK's bundling step. */
  ms: number;
};
