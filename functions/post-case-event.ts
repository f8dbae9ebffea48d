import { caseEventDeps } from '../shared/cases/case-event-deps.js';
import { postCaseEvent } from '../shared/cases/case-event-service.js';
import { requireTeamMember } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseEventDeps();

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
