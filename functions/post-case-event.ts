import { postCaseEvent } from '../shared/cases/case-service.js';
import { caseServiceDeps } from '../shared/cases/case-service-deps.js';
import { requireTeamMember } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseServiceDeps();

/** POST /cases/{caseId}/events: a team accepts, declines, starts an intervention or closes. */
export const handler = httpApi(
  async (event) =>
    json(
      200,
      await postCaseEvent(
        deps,
        event.caller,
        event.pathParameters?.caseId ?? '',
        event.jsonBody,
        event.headers['idempotency-key'],
      ),
    ),
  { body: 'json', authorize: requireTeamMember },
);
