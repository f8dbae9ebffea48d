import { json, publicApi } from '../shared/http/public-api.js';

/** GET /health: the API answers. Public, reads nothing. */
export const handler = publicApi(async () => json(200, { status: 'ok' }));
