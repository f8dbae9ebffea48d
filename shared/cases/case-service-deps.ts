import { AuditRepository } from '../audit/repository.js';
import { dynamo, sqs } from '../clients.js';
import { functionEnv } from '../config/env.js';
import { personKeyerFromEnv } from '../identity/person-key.js';
import { teamDelivery } from '../queues/messages.js';
import { ReferralRepository } from '../referrals/repository.js';
import { DEFAULT_RULESET } from '../screening/default-ruleset.js';
import type { SearchDeps } from './case-search.js';
import { NoteRepository } from './notes.js';
import { CaseRepository } from './repository.js';

/** The back-office functions' dependencies, built once per container from the validated environment. */
export function caseServiceDeps(): SearchDeps {
  const env = functionEnv();
  return {
    repository: new CaseRepository(dynamo, env.TABLE_NAME, env.RETENTION_MONTHS),
    referrals: new ReferralRepository(dynamo, env.TABLE_NAME),
    audit: new AuditRepository(dynamo, env.TABLE_NAME),
    notes: new NoteRepository(dynamo, env.TABLE_NAME),
    deployment: env.DEPLOYMENT,
    ruleset: DEFAULT_RULESET,
    deliver: teamDelivery(sqs, env.TEAM_QUEUE_URLS),
    personKey: personKeyerFromEnv(env),
  };
}
