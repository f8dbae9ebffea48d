import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo, sqs } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { requireAgency } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';
import { personKeyerFromEnv } from '../shared/identity/person-key.js';
import { screeningRequester } from '../shared/queues/messages.js';
import { submitReferral } from '../shared/referrals/submit-referral.js';

const env = functionEnv();
const deps = {
  repository: new CaseRepository(dynamo, env.TABLE_NAME),
  personKey: personKeyerFromEnv(env),
  requestScreening: screeningRequester(sqs, env.SCREENING_QUEUE_URL),
  teams: env.DEPLOYMENT.teams,
};

/** POST /referrals: an officer of one of the three agencies refers a person (202, Location). */
export const handler = httpApi(
  async (event) => {
    const result = await submitReferral(deps, {
      agency: requireAgency(event.caller),
      submittedBy: event.caller.subject,
      groups: event.caller.groups,
      body: event.jsonBody,
      idempotencyKey: event.headers['idempotency-key'],
    });
    // Behind API Gateway the request path carries the stage (/v1/referrals); locally it is /referrals.
    const base = (event.requestContext?.path ?? event.path).replace(/\/$/, '');
    return json(202, result, { Location: `${base}/${result.referralId}` });
  },
  { body: 'json', authorize: requireAgency },
);
