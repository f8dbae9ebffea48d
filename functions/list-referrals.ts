import * as z from 'zod';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo } from '../shared/clients.js';
import { agencySchema } from '../shared/config/deployment.js';
import { functionEnv } from '../shared/config/env.js';
import { ForbiddenError } from '../shared/errors.js';
import { requireReferralReader } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';
import { validationError } from '../shared/http/problem.js';
import { referralSummary } from '../shared/referrals/views.js';

const env = functionEnv();
const repository = new CaseRepository(dynamo, env.TABLE_NAME);

const querySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2048).optional(),
    agency: agencySchema.optional(),
  })
  .strict();

/** GET /referrals: the caller's agency's referrals, newest first, a page at a time. */
export const handler = httpApi(
  async (event) => {
    const query = querySchema.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw validationError(query.error, 'The query');
    const { caller } = event;
    if (query.data.agency && !caller.admin && query.data.agency !== caller.agency) {
      throw new ForbiddenError("Only administrators may list another agency's referrals.");
    }
    const agency = query.data.agency ?? caller.agency;
    if (!agency) throw new ForbiddenError('Administrators name the agency to list with ?agency=.');

    const page = await repository.listReferrals(agency, query.data.limit, query.data.cursor);
    const cases = await repository.getCases(page.items.map((referral) => referral.caseId));
    return json(200, {
      items: page.items.map((referral) => referralSummary(referral, cases.get(referral.caseId))),
      nextCursor: page.nextCursor,
    });
  },
  { authorize: requireReferralReader },
);
