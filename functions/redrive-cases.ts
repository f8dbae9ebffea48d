import middy from '@middy/core';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo, sqs } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { METRICS } from '../shared/config/metrics.js';
import { REDRIVE } from '../shared/config/resources.js';
import { injectLambdaContext, logger } from '../shared/logger.js';
import { publishMetric } from '../shared/metrics.js';
import { screeningRequester } from '../shared/queues/messages.js';

const env = functionEnv();
const repository = new CaseRepository(dynamo, env.TABLE_NAME);
const requestScreening = screeningRequester(sqs, env.SCREENING_QUEUE_URL);

type RedriveEvent = { detail?: { olderThanSeconds?: number } };

/**
 * Scheduled: hands every case that has waited too long for screening or delivery to the screening
 * queue again, so that a referral that got a 2xx is routed whatever failed in between; and every
 * open case whose consent has run out or whose team is past its service level, so that screening
 * withdraws or escalates it (once).
 */
export const handler = middy<RedriveEvent, { requeued: number; failed: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const olderThanSeconds = event.detail?.olderThanSeconds ?? REDRIVE.olderThanSeconds;
    const cutoff = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
    // Cases waiting since before the cutoff, and cases whose timer (consent, service level) has run out.
    const stuckCaseIds = await repository.findPendingCaseIds(cutoff);
    const caseIds = [
      ...new Set([...stuckCaseIds, ...(await repository.findTimedOutCaseIds(new Date().toISOString()))]),
    ];
    // Only the stuck ones: a timed-out case is the service level or the consent doing its job, not a
    // failure. Published on every run, 0 included, so that the alarm and the dashboard always have data:
    // one EMF line (no PutMetricData), once both reads have answered.
    publishMetric(METRICS.stuckCasesRedriven, 'Count', stuckCaseIds.length);
    const results = await Promise.allSettled(caseIds.map((caseId) => requestScreening(caseId)));
    const failed = results.filter((result) => result.status === 'rejected').length;
    if (caseIds.length > 0)
      logger.info('Re-drove waiting cases', { requeued: caseIds.length - failed, failed });
    return { requeued: caseIds.length - failed, failed };
  });
