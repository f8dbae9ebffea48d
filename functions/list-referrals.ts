import { AuditRepository } from '../shared/audit/repository.js';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { requireReferralReader } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';
import { personKeyerFromEnv } from '../shared/identity/person-key.js';
import { listReferrals } from '../shared/referrals/referral-list.js';
import { ReferralRepository } from '../shared/referrals/repository.js';

const env = functionEnv();
const deps = {
  cases: new CaseRepository(dynamo, env.TABLE_NAME),
  referrals: new ReferralRepository(dynamo, env.TABLE_NAME),
  audit: new AuditRepository(dynamo, env.TABLE_NAME),
  personKey: personKeyerFromEnv(env),
};

/** GET /referrals?q=&agency=&limit=&cursor=: the caller's agency's referrals, newest first, or a search. */
export const handler = httpApi(
  async (event) => json(200, await listReferrals(deps, event.caller, event.queryStringParameters)),
  { authorize: requireReferralReader },
);
