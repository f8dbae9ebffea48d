import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo, sqs } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { injectLambdaContext, logger } from '../shared/logger.js';
import { teamDelivery } from '../shared/queues/messages.js';
import { routeCase } from '../shared/routing/route-case.js';
import { DEFAULT_RULESET } from '../shared/screening/default-ruleset.js';
import * as z from '../shared/zod.js';

const env = functionEnv();
const deps = {
  repository: new CaseRepository(dynamo, env.TABLE_NAME),
  deliver: teamDelivery(sqs, env.TEAM_QUEUE_URLS),
  ruleset: DEFAULT_RULESET,
  deployment: env.DEPLOYMENT,
  acceptWithin: env.FRONTDESK_ACCEPT_WITHIN,
};

const requestSchema = z.object({ type: z.literal('case.screening-requested'), caseId: z.uuid() });

/**
 * Records of one batch are processed in parallel; several for the same case (referrals joining at
 * once) share one routing run instead of racing each other and sending the same message twice.
 */
const inFlight = new Map<string, ReturnType<typeof routeCase>>();
function routeOnce(caseId: string) {
  let run = inFlight.get(caseId);
  if (!run) {
    run = routeCase(deps, caseId).finally(() => inFlight.delete(caseId));
    inFlight.set(caseId, run);
  }
  return run;
}

/** One record: screen and route one case. Throwing fails only this record; the queue retries it. */
async function recordHandler(record: SQSRecord) {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new Error(`Message ${record.messageId} is not JSON`);
  }
  const request = requestSchema.safeParse(body);
  if (!request.success) throw new Error(`Message ${record.messageId} is not a screening request`);
  const result = await routeOnce(request.data.caseId);
  logger.info('Case routed', { ...result, messageId: record.messageId });
}

/**
 * A partial batch response, as Powertools' BatchProcessor made it (records in parallel, and a whole
 * batch that failed reported record by record rather than thrown): the queue retries only the records
 * that threw, and a poison message alone ends in the dead-letter queue.
 */
async function processBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  if (!Array.isArray(event.Records)) throw new Error('Not an SQS event: no Records');
  const outcomes = await Promise.allSettled(event.Records.map(recordHandler));
  return {
    batchItemFailures: event.Records.flatMap((record, index) =>
      outcomes[index]?.status === 'rejected' ? [{ itemIdentifier: record.messageId }] : [],
    ),
  };
}

/** The screening consumer: per-record processing with a partial batch response (poison → DLQ). */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(processBatch);
