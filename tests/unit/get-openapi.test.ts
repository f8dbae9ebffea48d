import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/get-openapi.js';
import { openApiDocument } from '../../shared/api/openapi.js';
import { context } from '../helpers/events.js';

/** The function serves the committed copy (no zod in its bundle); it must be the generated document. */
describe('GET /openapi.json', () => {
  it('answers the document generated from the handlers’ schemas', async () => {
    const event = { resource: '/openapi.json', path: '/openapi.json', httpMethod: 'GET', headers: {} };
    const response = (await handler(
      event as unknown as APIGatewayProxyEvent,
      context('get-openapi'),
    )) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(response.body)).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});
