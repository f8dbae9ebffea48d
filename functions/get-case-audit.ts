import { AuditRepository } from '../shared/audit/repository.js';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { NotFoundError } from '../shared/errors.js';
import { requireAdmin } from '../shared/http/caller.js';
import { httpApi, json } from '../shared/http/http-api.js';
import { pageParameters, parseQuery } from '../shared/http/query.js';
import * as z from '../shared/zod.js';

const env = functionEnv();
const cases = new CaseRepository(dynamo, env.TABLE_NAME);
const audit = new AuditRepository(dynamo, env.TABLE_NAME);

const querySchema = z.strictObject(pageParameters(50));

/** GET /cases/{caseId}/audit: who read or changed a case, when, in which role (administrators only). */
export const handler = httpApi(
  async (event) => {
    const query = parseQuery(querySchema, event.queryStringParameters);
    const caseId = event.pathParameters?.caseId ?? '';
    if (!(await cases.getCase(caseId))) throw new NotFoundError('No such case.');
    return json(200, await audit.listAudit(caseId, query.limit, query.cursor));
  },
  { authorize: requireAdmin },
);
