import { parseServiceLevel } from '../calendar/working-days.js';
import * as z from '../zod.js';
import { parseDeploymentConfig } from './deployment.js';

/**
 * The environment every function reads, validated once at cold start so that a misconfigured
 * function fails fast with a clear message instead of on its first request.
 * Variables (set by the CDK stack, or by the local runtime):
 * - TABLE_NAME: the case table.
 * - SCREENING_QUEUE_URL: the internal queue between intake and screening.
 * - TEAM_QUEUE_URLS: JSON object, team id → queue URL.
 * - DEPLOYMENT: JSON of the deployment configuration (municipality, teams, queue prefix).
 * - PERSON_KEY (local: hex) or PERSON_KEY_SECRET_ARN (AWS: a Secrets Manager secret): the HMAC key
 *   that turns an identity number into the key people are de-duplicated on.
 * - TOKEN_ISSUER, USER_POOL_CLIENT_IDS (comma list or JSON array of the staff app client ids): the token
 *   claims every authorized function checks on top of the authorizer (`iss`; a person's token from one
 *   of these clients; a machine client's access token with a `frontdesk/<group>` scope from any client
 *   of the pool: shared/http/caller.ts).
 * - RETENTION_MONTHS: how long a closed case's personal data is kept (default 24).
 * - STATS_SUPPRESSION_THRESHOLD: statistics' small-number threshold (default 5, never below 3).
 * - WEB_ORIGIN: the deployed web app's origin (`https://<host>`), named in every HTTP answer's CORS
 *   headers; unset locally, where the app and the API share an origin.
 * - AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS: only locally, read by the AWS SDK itself.
 */
const json = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be JSON', input: text });
      return z.NEVER;
    }
  }),
);

export const functionEnvSchema = z
  .object({
    TABLE_NAME: z.string().check(z.minLength(1)),
    SCREENING_QUEUE_URL: z.url(),
    TEAM_QUEUE_URLS: z.pipe(json, z.record(z.string(), z.url())),
    DEPLOYMENT: z.pipe(
      json,
      z.transform((value) => parseDeploymentConfig(value)),
    ),
    PERSON_KEY: z.optional(z.string().check(z.regex(/^[0-9a-f]{64,}$/, 'hex, at least 32 bytes'))),
    PERSON_KEY_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
    TOKEN_ISSUER: z.optional(z.url()),
    USER_POOL_CLIENT_IDS: z.optional(
      z.pipe(
        z.pipe(
          z.string().check(z.minLength(1)),
          z.transform((text: string) =>
            text.trim().startsWith('[') ? (JSON.parse(text) as string[]) : text.split(','),
          ),
        ),
        z.array(z.string().check(z.trim(), z.minLength(1))).check(z.minLength(1)),
      ),
    ),
    RETENTION_MONTHS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(120)), 24),
    WEB_ORIGIN: z.optional(z.url()),
    /** Statistics: counts below it (and what would reveal them) are suppressed; at least 3, default 5. */
    STATS_SUPPRESSION_THRESHOLD: z._default(
      z.coerce.number().check(z.int(), z.minimum(3), z.maximum(100)),
      5,
    ),
    /** Locally only: every team's service level, such as PT20S for a demo (CONTRACT.md v1.1). */
    FRONTDESK_ACCEPT_WITHIN: z.optional(
      z
        .string()
        .check(
          z.refine(
            (value) => parseServiceLevel(value) !== undefined,
            'an ISO 8601 duration, such as P2D or PT20S',
          ),
        ),
    ),
  })
  .check(
    z.refine((env) => env.PERSON_KEY || env.PERSON_KEY_SECRET_ARN, {
      message: 'set PERSON_KEY or PERSON_KEY_SECRET_ARN',
      path: ['PERSON_KEY'],
    }),
  );

export type FunctionEnv = z.infer<typeof functionEnvSchema>;

let cached: FunctionEnv | undefined;

/** Reads and validates the environment once; later calls return the same object. */
export function functionEnv(env: NodeJS.ProcessEnv = process.env): FunctionEnv {
  if (cached) return cached;
  const result = functionEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function environment: ${problems.join('; ')}`);
  }
  cached = result.data;
  return cached;
}
