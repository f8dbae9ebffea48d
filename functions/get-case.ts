import { readCase } from '../shared/cases/case-service.js';
import { caseServiceDeps } from '../shared/cases/case-service-deps.js';
import { requireStaffOfTeam } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseServiceDeps();

/** GET /cases/{caseId}: the whole case for a team it is routed to; every read is audited. */
export const handler = httpApi(
  async (event) => json(200, await readCase(deps, event.caller, event.pathParameters?.caseId ?? '')),
  { authorize: requireStaffOfTeam },
);
