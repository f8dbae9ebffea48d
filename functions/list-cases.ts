import { listWork } from '../shared/cases/case-service.js';
import { caseServiceDeps } from '../shared/cases/case-service-deps.js';
import { requireStaffOfTeam } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';

const deps = caseServiceDeps();

/** GET /cases?team=&status=&limit=&cursor=: a team's work list, highest priority and oldest first. */
export const handler = httpApi(
  async (event) => json(200, await listWork(deps, event.caller, event.queryStringParameters ?? {})),
  { authorize: requireStaffOfTeam },
);
