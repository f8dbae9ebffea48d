import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

/** What every `functions/<fn>.ts` exports: a middy handler, called as Lambda calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutError';
}

/**
 * Imports `functions/<fn>.ts` the way Lambda loads a function: once, at cold start, with the
 * environment already set. `undefined` when the file does not exist (yet); a module that exists
 * but fails to load (a bad environment, a syntax error) fails the start.
 */
export async function loadFunction(functionsDir: string, fn: string): Promise<LambdaHandler | undefined> {
  const file = join(functionsDir, `${fn}.ts`);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error(`functions/${fn}.ts does not export a \`handler\` function.`);
  }
  return module.handler as LambdaHandler;
}

const unsupported = () => {
  throw new Error('Callback-style context methods are not supported; return a promise.');
};

/** A Lambda context whose clock runs from now, so middy's timeout handling sees a real deadline. */
export function lambdaContext(options: {
  functionName: string;
  region: string;
  timeoutSeconds: number;
  requestId?: string;
}): Context {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const requestId = options.requestId ?? randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Invokes a handler and, like Lambda, gives up on it at the function's timeout. */
export async function invoke(handler: LambdaHandler, event: unknown, context: Context): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(`${context.functionName} timed out`)),
      context.getRemainingTimeInMillis(),
    );
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
