import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { redactValue } from './redact.js';

/**
 * Structured JSON logs, one line per entry, in the shape Powertools for AWS Lambda writes (level,
 * message, timestamp, service, the Lambda context's cold_start, function_arn, function_memory_size,
 * function_name, function_request_id, sampling_rate and xray_trace_id, then the entry's own keys), so
 * that log queries, metric filters and Lambda's log-level control read them as before. It stands in
 * for the Powertools Logger, which cost 21 KiB of every bundle with its commons; this is the part we
 * use. Settings as Powertools reads them: AWS_LAMBDA_LOG_LEVEL (Lambda's control, first),
 * POWERTOOLS_LOG_LEVEL or LOG_LEVEL (default INFO), POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOGGER_LOG_EVENT, POWERTOOLS_DEV (indented). No sampling, no buffering.
 *
 * Logs carry ids (caseId, referralId, messageId), counts, codes and durations only; never a body, a
 * person, a token or free text, and every value is redacted on its way out (shared/redact.ts).
 */

/** Powertools' thresholds, so that every level name means what it meant. */
const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type LevelName = keyof typeof LEVELS;
/** Keys the entry itself owns: an attribute with one of these names is dropped, with a warning. */
const RESERVED = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);
const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);

export type LogAttributes = Record<string, unknown>;
/** A message, or an object with the message and attributes. */
export type LogInput = string | (LogAttributes & { message: string });
/** Attributes, an error (under `error`) or a string (under `extra`), as Powertools takes them. */
export type LogExtra = LogAttributes | Error | string | null | undefined;

const levelOf = (name: string | undefined): number | undefined => {
  const upper = name?.trim().toUpperCase();
  if (upper === 'FATAL') return LEVELS.CRITICAL;
  return upper && upper in LEVELS ? LEVELS[upper as LevelName] : undefined;
};

const nameOf = (level: number) =>
  (Object.keys(LEVELS) as LevelName[]).find((name) => LEVELS[name] === level) ?? 'INFO';

/** The `path:line` of the first frame of a stack, as Powertools' `location`. */
function codeLocation(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}

/** An error as Powertools writes it; in development (indented) its stack as a list of lines. */
function formatError(error: Error, dev: boolean): LogAttributes {
  const { name, message, stack, cause, ...rest } = error as Error & LogAttributes;
  return {
    name,
    location: codeLocation(stack),
    message,
    stack: dev && typeof stack === 'string' ? stack.split('\n') : stack,
    cause: cause instanceof Error ? formatError(cause, dev) : cause,
    ...rest,
  };
}

/**
 * Redaction first (a sensitive key hides the whole value, an error included), then errors as objects,
 * bigints as strings, and a circular reference left out.
 */
function replacer(dev: boolean): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, key, value) {
    let replaced = redactValue(key, value);
    if (replaced instanceof Error) replaced = formatError(replaced, dev);
    if (typeof replaced === 'bigint') return replaced.toString();
    if (typeof replaced === 'object' && replaced !== null) {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(replaced)) return undefined;
      ancestors.push(replaced);
    }
    return replaced;
  };
}

type LambdaContext = Pick<
  Context,
  'invokedFunctionArn' | 'memoryLimitInMB' | 'functionName' | 'awsRequestId'
> & { tenantId?: string };

export class Logger {
  private level: number;
  private readonly service: string;
  private readonly logEvent: boolean;
  private readonly indent: number;
  private persistentKeys: LogAttributes = {};
  private temporaryKeys: LogAttributes = {};
  private context: (LambdaContext & { coldStart: boolean }) | undefined;
  private coldStart: boolean;

  constructor(options: { serviceName?: string; logLevel?: string } = {}, env = process.env) {
    this.level =
      levelOf(env.AWS_LAMBDA_LOG_LEVEL) ??
      levelOf(options.logLevel) ??
      levelOf(env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL) ??
      LEVELS.INFO;
    this.service = options.serviceName || env.POWERTOOLS_SERVICE_NAME || 'service_undefined';
    this.logEvent = TRUTHY.has(env.POWERTOOLS_LOGGER_LOG_EVENT?.trim().toLowerCase() ?? '');
    this.indent = TRUTHY.has(env.POWERTOOLS_DEV?.trim().toLowerCase() ?? '') ? 4 : 0;
    // Powertools counts only an on-demand start as a cold start (not provisioned concurrency).
    this.coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';
  }

  trace(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.TRACE, input, extra);
  }
  debug(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.DEBUG, input, extra);
  }
  info(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.INFO, input, extra);
  }
  warn(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.WARN, input, extra);
  }
  error(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.ERROR, input, extra);
  }
  critical(input: LogInput, ...extra: LogExtra[]): void {
    this.log(LEVELS.CRITICAL, input, extra);
  }

  getLevelName(): string {
    return nameOf(this.level);
  }

  setLogLevel(name: string): void {
    const level = levelOf(name);
    if (level === undefined) throw new Error(`Invalid log level: ${name}`);
    // Lambda's own log-level control wins, as in Powertools.
    if (levelOf(process.env.AWS_LAMBDA_LOG_LEVEL) === undefined) this.level = level;
  }

  /** Keys in every later entry of this container. */
  appendPersistentKeys(attributes: LogAttributes): void {
    Object.assign(this.persistentKeys, this.allowed(attributes));
  }

  /** Keys in every later entry until `resetKeys()` (the middleware resets them after each invocation). */
  appendKeys(attributes: LogAttributes): void {
    Object.assign(this.temporaryKeys, this.allowed(attributes));
  }

  resetKeys(): void {
    this.temporaryKeys = {};
  }

  addContext(context: LambdaContext): void {
    const coldStart = this.coldStart;
    this.coldStart = false;
    this.context = {
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      tenantId: context.tenantId,
      coldStart,
    };
  }

  /** The whole event as one INFO entry when POWERTOOLS_LOGGER_LOG_EVENT is on (redacted like the rest). */
  logEventIfEnabled(event: unknown, enabled = this.logEvent): void {
    if (enabled) this.info('Lambda invocation event', { event });
  }

  private allowed(attributes: LogAttributes): LogAttributes {
    const kept: LogAttributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (RESERVED.has(key)) this.warn(`The key "${key}" is a reserved key and will be dropped.`);
      else kept[key] = value;
    }
    return kept;
  }

  private log(level: number, input: LogInput, extra: LogExtra[]): void {
    if (level < this.level) return;
    const context = this.context;
    const entry: LogAttributes = {
      level: nameOf(level),
      message: typeof input === 'string' ? input : input.message,
      timestamp: new Date().toISOString(),
      service: this.service,
      cold_start: context?.coldStart,
      function_arn: context?.invokedFunctionArn,
      function_memory_size: context?.memoryLimitInMB,
      function_name: context?.functionName,
      function_request_id: context?.awsRequestId,
      sampling_rate: 0,
      xray_trace_id: /(?:^|;)Root=([^;]*)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1],
      tenant_id: context?.tenantId,
      ...this.persistentKeys,
      ...this.temporaryKeys,
    };
    if (typeof input !== 'string') {
      const { message: _message, ...attributes } = input;
      Object.assign(entry, this.allowed(attributes));
    }
    for (const item of extra) {
      if (item === undefined || item === null) continue;
      if (item instanceof Error) entry.error = item;
      else if (typeof item === 'string') entry.extra = item;
      else Object.assign(entry, this.allowed(item));
    }
    // As Powertools: no key whose value is empty (undefined, null or '') at the top level.
    for (const key of Object.keys(entry)) {
      if (entry[key] === undefined || entry[key] === null || entry[key] === '') delete entry[key];
    }
    const line = JSON.stringify(entry, replacer(this.indent > 0), this.indent);
    // Straight to the streams, not through `console`, which Lambda's runtime prefixes with its own fields.
    (level >= LEVELS.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'front-desk' });

/**
 * Middy middleware, as Powertools' `injectLambdaContext`: the invocation's Lambda context in every
 * entry, the event logged when POWERTOOLS_LOGGER_LOG_EVENT is on, and with `resetKeys` the keys
 * appended during an invocation dropped when it ends (and before the next, should a middleware have
 * returned early).
 */
export function injectLambdaContext<TEvent, TResult>(
  target: Logger,
  options: { resetKeys?: boolean; logEvent?: boolean } = {},
): MiddlewareObj<TEvent, TResult> {
  const reset = async () => {
    if (options.resetKeys) target.resetKeys();
  };
  return {
    before: async (request) => {
      await reset();
      target.addContext(request.context);
      target.logEventIfEnabled(request.event, options.logEvent);
    },
    after: reset,
    onError: reset,
  };
}
