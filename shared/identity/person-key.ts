import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * People are de-duplicated on a keyed hash (HMAC-SHA256) of their normalised identity number, so the
 * plain number never stands in a key, an index or a log, and the hash cannot be reversed by trying
 * every possible number without the key.
 */
export type PersonKeyer = (normalisedIdentityNumber: string) => Promise<string>;

export function personKeyerFromKey(loadKey: () => Promise<Buffer>): PersonKeyer {
  let key: Promise<Buffer> | undefined;
  return async (normalised) => {
    key ??= loadKey().catch((error: unknown) => {
      key = undefined; // a failed load is retried on the next call, not cached
      throw error;
    });
    return createHmac('sha256', await key)
      .update(normalised, 'utf8')
      .digest('base64url');
  };
}

/** Locally a hex key from the environment; in AWS a Secrets Manager secret read once per container. */
export function personKeyerFromEnv(env: {
  PERSON_KEY?: string;
  PERSON_KEY_SECRET_ARN?: string;
}): PersonKeyer {
  if (env.PERSON_KEY) {
    const key = Buffer.from(env.PERSON_KEY, 'hex');
    return personKeyerFromKey(async () => key);
  }
  const secretId = env.PERSON_KEY_SECRET_ARN!;
  return personKeyerFromKey(async () => {
    const { SecretString } = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: secretId }),
    );
    if (!SecretString) throw new Error('The person key secret is empty');
    return Buffer.from(SecretString, 'utf8');
  });
}
