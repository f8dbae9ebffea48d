/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (an esbuild alias set by
 * infra/constructs/lambda-function.ts). Every client's runtime config imports the default chain, and
 * through SSO, INI profiles and web identity it drags in an STS client and the XML protocol: 127 KiB
 * of every SDK function's bundle (submit-referral 525 → 398 KiB) and about a quarter of its import
 * time (120 → 87 ms median, 11 interleaved fresh processes). Lambda always puts the execution role's
 * credentials in the environment, the chain's first link
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * so the chain would end there anyway. The local runtime and the tests load the real chain (they do
 * not bundle); the local runtime sets environment credentials too.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);

/** The chain's other exports, with its meaning: credentials without an expiration never expire. */
export const credentialsWillNeedRefresh = (credentials: { expiration?: Date }) =>
  credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: { expiration?: Date }) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
