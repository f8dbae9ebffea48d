import { addFollowUp } from '../shared/cases/case-service.js';
import { caseServiceDeps } from '../shared/cases/case-service-deps.js';
import { requireTeamMember } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseServiceDeps();

/** POST /cases/{caseId}/follow-ups: a TG4 case's 6- or 12-month follow-up (409 before the milestone). */
export const handler = httpApi(
  async (event) => {
    const { status, answer } = await addFollowUp(
      deps,
      event.caller,
      event.pathParameters?.caseId ?? '',
      event.jsonBody,
    );
    return json(status, answer);
  },
  { body: 'json', authorize: requireTeamMember },
);
