import { createHmac } from 'node:crypto';
import { get } from 'node:http';

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

const EXTENSION_TIMEOUT_MS = 3000;

/**
 * A Secrets Manager secret's string through the AWS Parameters and Secrets Lambda extension, the way
 * AWS documents it (https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html): a GET on
 * localhost with the function's session token as `X-Aws-Parameters-Secrets-Token`; the extension calls
 * GetSecretValue with the function's role and caches the answer. No SDK client in the bundle (13 KiB
 * and its set-up at every cold start), and the secret never stands in the template or the environment.
 */
export function secretFromExtension(
  secretId: string,
  env: { AWS_SESSION_TOKEN?: string; PARAMETERS_SECRETS_EXTENSION_HTTP_PORT?: string } = process.env,
): Promise<string> {
  const token = env.AWS_SESSION_TOKEN;
  if (!token)
    return Promise.reject(new Error('AWS_SESSION_TOKEN is not set: the secrets extension needs it'));
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { 'X-Aws-Parameters-Secrets-Token': token } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        // The answer's text is not quoted in the error: only the status says what went wrong.
        if (response.statusCode !== 200) {
          reject(new Error(`The secrets extension answered ${response.statusCode} for the person key`));
          return;
        }
        try {
          const { SecretString } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            SecretString?: unknown;
          };
          if (typeof SecretString !== 'string' || SecretString === '') {
            reject(new Error('The person key secret is empty'));
            return;
          }
          resolve(SecretString);
        } catch {
          reject(new Error('The secrets extension answered something other than JSON'));
        }
      });
    });
    request.setTimeout(EXTENSION_TIMEOUT_MS, () =>
      request.destroy(new Error(`The secrets extension did not answer within ${EXTENSION_TIMEOUT_MS} ms`)),
    );
    request.on('error', reject);
  });
}

/**
 * Locally a hex key from the environment; in AWS a Secrets Manager secret read once per container
 * through the Parameters and Secrets extension (the house construct's bindSecret adds its layer).
 */
export function personKeyerFromEnv(env: {
  PERSON_KEY?: string;
  PERSON_KEY_SECRET_ARN?: string;
  AWS_SESSION_TOKEN?: string;
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT?: string;
}): PersonKeyer {
  if (env.PERSON_KEY) {
    const key = Buffer.from(env.PERSON_KEY, 'hex');
    return personKeyerFromKey(async () => key);
  }
  const secretId = env.PERSON_KEY_SECRET_ARN!;
  // The runtime's variables are read when the key is first needed (the validated env does not keep them).
  return personKeyerFromKey(async () => {
    const secret = await secretFromExtension(secretId, {
      AWS_SESSION_TOKEN: env.AWS_SESSION_TOKEN ?? process.env.AWS_SESSION_TOKEN,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT:
        env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
    });
    return Buffer.from(secret, 'utf8');
  });
}
