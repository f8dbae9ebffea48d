import { dynamo, sqs } from '../clients.js';
import { functionEnv } from '../config/env.js';
import { teamDelivery } from '../queues/messages.js';
import type { CaseEventDeps } from './case-event-service.js';
import { CaseRepository } from './repository.js';

/** POST /cases/{caseId}/events: the cases and the team queues, and nothing it does not use. */
export function caseEventDeps(): CaseEventDeps {
  const env = functionEnv();
  return {
    repository: new CaseRepository(dynamo, env.TABLE_NAME, env.RETENTION_MONTHS),
    deliver: teamDelivery(sqs, env.TEAM_QUEUE_URLS),
  };
}
