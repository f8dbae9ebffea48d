import * as z from 'zod';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo } from '../shared/clients.js';
import { agencySchema } from '../shared/config/deployment.js';
import { functionEnv } from '../shared/config/env.js';
import { ForbiddenError } from '../shared/errors.js';
import { requireReferralReader } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';
import { pageParameters, parseQuery } from '../shared/http/query.js';
import { ReferralRepository } from '../shared/referrals/repository.js';
import { referralSummary } from '../shared/referrals/views.js';

const env = functionEnv();
const cases = new CaseRepository(dynamo, env.TABLE_NAME);
const referrals = new ReferralRepository(dynamo, env.TABLE_NAME);

const querySchema = z
  .object({
    ...pageParameters(20),
    agency: agencySchema.optional(),
  })
  .strict();

/** GET /referrals: the caller's agency's referrals, newest first, a page at a time. */
export const handler = httpApi(
  async (event) => {
    const query = parseQuery(querySchema, event.queryStringParameters);
    const { caller } = event;
    if (query.agency && !caller.admin && query.agency !== caller.agency) {
      throw new ForbiddenError("Only administrators may list another agency's referrals.");
    }
    const agency = query.agency ?? caller.agency;
    if (!agency) throw new ForbiddenError('Administrators name the agency to list with ?agency=.');

    const page = await referrals.listReferrals(agency, query.limit, query.cursor);
    const found = await cases.getCases(page.items.map((referral) => referral.caseId));
    return json(200, {
      items: page.items.map((referral) => referralSummary(referral, found.get(referral.caseId))),
      nextCursor: page.nextCursor,
    });
  },
  { authorize: requireReferralReader },
);
