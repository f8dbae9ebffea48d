import { openApiDocument } from '../shared/api/openapi.js';
import { publicApi } from '../shared/http/public-api.js';

// Built once per container: the document only changes with the code.
const document = JSON.stringify(openApiDocument());

/** GET /openapi.json: the OpenAPI 3.1 document generated from the handlers' own zod schemas. */
export const handler = publicApi(async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' },
  body: document,
}));
