import { addCaseNote } from '../shared/cases/case-service.js';
import { caseServiceDeps } from '../shared/cases/case-service-deps.js';
import { requireTeamMember } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseServiceDeps();

/** POST /cases/{caseId}/notes: a dated note in the team's journal of the case. */
export const handler = httpApi(
  async (event) =>
    json(201, await addCaseNote(deps, event.caller, event.pathParameters?.caseId ?? '', event.jsonBody)),
  { body: 'json', authorize: requireTeamMember },
);
