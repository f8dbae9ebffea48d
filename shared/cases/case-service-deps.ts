import { AuditRepository } from '../audit/repository.js';
import { dynamo } from '../clients.js';
import { functionEnv } from '../config/env.js';
import { personKeyerFromEnv } from '../identity/person-key.js';
import { ReferralRepository } from '../referrals/repository.js';
import { DEFAULT_RULESET } from '../screening/default-ruleset.js';
import type { SearchDeps } from './case-search.js';
import { NoteRepository } from './notes.js';
import { CaseRepository } from './repository.js';

/**
 * The back-office functions' dependencies, built once per container from the validated environment.
 * None of them sends to a queue: only case events do (case-event-deps.ts), so only they bundle SQS.
 */
export function caseServiceDeps(): SearchDeps {
  const env = functionEnv();
  return {
    repository: new CaseRepository(dynamo, env.TABLE_NAME, env.RETENTION_MONTHS),
    referrals: new ReferralRepository(dynamo, env.TABLE_NAME),
    audit: new AuditRepository(dynamo, env.TABLE_NAME),
    notes: new NoteRepository(dynamo, env.TABLE_NAME),
    deployment: env.DEPLOYMENT,
    ruleset: DEFAULT_RULESET,
    personKey: personKeyerFromEnv(env),
  };
}
