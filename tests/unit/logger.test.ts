import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { injectLambdaContext, Logger } from '../../shared/logger.js';
import { REDACTED } from '../../shared/redact.js';

/** The house logger writes what Powertools wrote: one JSON line per entry, the same keys, redacted. */
const context = {
  functionName: 'front-desk-get-case',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:front-desk-get-case',
  memoryLimitInMB: '512',
  awsRequestId: 'request-1',
} as Context;

function capture() {
  const lines: { stream: 'stdout' | 'stderr'; entry: Record<string, any> }[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[stream], 'write').mockImplementation(((chunk: unknown) => {
      expect(String(chunk).endsWith('\n')).toBe(true);
      lines.push({ stream, entry: JSON.parse(String(chunk)) });
      return true;
    }) as typeof process.stdout.write);
  }
  return lines;
}

const loggerWith = (env: Record<string, string>) =>
  new Logger({ serviceName: 'front-desk' }, { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', ...env });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logger', () => {
  it("writes Powertools' keys, the Lambda context and the entry's own keys", () => {
    const lines = capture();
    const logger = loggerWith({});
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    logger.addContext(context);
    logger.info('Case routed', { caseId: 'c1', teams: ['front-desk'], empty: '', none: null });
    logger.addContext({ ...context, awsRequestId: 'request-2' });
    logger.info('Again');
    vi.unstubAllEnvs();

    expect(lines[0]?.stream).toBe('stdout');
    expect(Object.keys(lines[0]?.entry ?? {})).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_arn',
      'function_memory_size',
      'function_name',
      'function_request_id',
      'sampling_rate',
      'xray_trace_id',
      'caseId',
      'teams',
    ]);
    expect(lines[0]?.entry).toMatchObject({
      level: 'INFO',
      message: 'Case routed',
      service: 'front-desk',
      cold_start: true,
      function_name: 'front-desk-get-case',
      function_memory_size: '512',
      function_request_id: 'request-1',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      caseId: 'c1',
    });
    expect(Number.isNaN(Date.parse(lines[0]?.entry.timestamp))).toBe(false);
    expect(lines[1]?.entry).toMatchObject({ cold_start: false, function_request_id: 'request-2' });
  });

  it('filters by POWERTOOLS_LOG_LEVEL, lets Lambda’s log-level control win, and writes warnings and errors to stderr', () => {
    const lines = capture();
    const debug = loggerWith({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    debug.debug('shown');
    debug.warn('warned');
    loggerWith({ POWERTOOLS_LOG_LEVEL: 'WARN' }).info('hidden');
    loggerWith({ LOG_LEVEL: 'ERROR' }).warn('hidden');
    loggerWith({ POWERTOOLS_LOG_LEVEL: 'SILENT' }).error('hidden');
    loggerWith({ POWERTOOLS_LOG_LEVEL: 'DEBUG', AWS_LAMBDA_LOG_LEVEL: 'ERROR' }).warn('hidden');
    loggerWith({}).debug('hidden');

    expect(lines.map((line) => [line.stream, line.entry.level, line.entry.message])).toEqual([
      ['stdout', 'DEBUG', 'shown'],
      ['stderr', 'WARN', 'warned'],
    ]);
  });

  it('redacts by key and by pattern, errors and their causes included', () => {
    const lines = capture();
    const cause = new Error('lookup of 19901211-9948 failed');
    const error = Object.assign(new Error('Item {mail: anna@example.se} failed', { cause }), {
      name: 'InternalServerError',
      Item: { personalIdentityNumber: '19901211-9948' },
    });
    loggerWith({}).error('Request failed', {
      error,
      path: '/cases/19901211%2D9948',
      person: { givenName: 'Anna' },
    });

    const [line] = lines;
    expect(line?.stream).toBe('stderr');
    expect(JSON.stringify(line?.entry)).not.toMatch(/9948|anna|Anna/);
    expect(line?.entry.person).toBe(REDACTED);
    expect(line?.entry.error).toMatchObject({
      name: 'InternalServerError',
      message: `Item {mail: ${REDACTED}} failed`,
      Item: REDACTED,
      cause: { name: 'Error', message: `lookup of ${REDACTED} failed` },
    });
    // Powertools' location: the first named frame's file and line.
    expect(line?.entry.error.location).toMatch(/:\d+$/);
    expect(line?.entry.error.stack).toContain('InternalServerError');
  });

  it('takes an error, a string or an object as extra input, and drops reserved keys with a warning', () => {
    const lines = capture();
    const logger = loggerWith({});
    logger.error('failed', new Error('boom'));
    logger.info('with text', 'more');
    logger.info({ message: 'object', level: 'DEBUG', count: 2n });
    const circular: Record<string, unknown> = { id: 'x' };
    circular.self = circular;
    logger.info('circular', { circular });

    expect(lines[0]?.entry.error).toMatchObject({ name: 'Error', message: 'boom' });
    expect(lines[1]?.entry.extra).toBe('more');
    expect(lines[2]?.entry).toMatchObject({
      level: 'WARN',
      message: 'The key "level" is a reserved key and will be dropped.',
    });
    expect(lines[3]?.entry).toMatchObject({ level: 'INFO', message: 'object', count: '2' });
    expect(lines[4]?.entry.circular).toEqual({ id: 'x' });
  });

  it('as middleware: adds the context, logs the event when asked, and resets appended keys', async () => {
    const lines = capture();
    const logger = loggerWith({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const handler = middy<{ path: string; headers: Record<string, string> }, string>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler(async () => {
        logger.appendKeys({ caseId: 'c1' });
        logger.info('inside');
        return 'ok';
      });

    await handler({ path: '/cases', headers: { Authorization: 'Bearer secret' } }, context);
    logger.info('after');

    expect(lines[0]?.entry).toMatchObject({
      message: 'Lambda invocation event',
      function_request_id: 'request-1',
      event: { path: '/cases', headers: { Authorization: REDACTED } },
    });
    expect(lines[1]?.entry).toMatchObject({ message: 'inside', caseId: 'c1' });
    expect(lines[2]?.entry.caseId).toBeUndefined();
  });
});
