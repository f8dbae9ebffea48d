import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { COMPONENT_SCHEMAS, openApiDocument } from '../../shared/api/openapi.js';
import { ROUTES } from '../../shared/api/routes.js';
import { referralInputSchema } from '../../shared/referrals/schema.js';

const document = openApiDocument();

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every route the API serves, with its method', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const path = document.paths[route.path as keyof typeof document.paths] as
        | Record<string, unknown>
        | undefined;
      expect(path?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('names every operation with its own operationId, the name generated clients give it', () => {
    const ids = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).map((operation) => (operation as { operationId?: string }).operationId),
    );
    expect(ids).toHaveLength(ROUTES.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries each component exactly as zod generates it from the schema the handler validates with', () => {
    for (const [name, { schema, io }] of Object.entries(COMPONENT_SCHEMAS)) {
      const { $schema: _dialect, ...expected } = z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io,
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      expect(document.components.schemas[name], name).toEqual(expected);
    }
  });

  it('refuses unknown fields and names the required ones, as the handler does', () => {
    const input = document.components.schemas.ReferralInput as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { required?: string[]; additionalProperties?: boolean }>;
    };
    expect(input.additionalProperties).toBe(false);
    expect(input.required).toEqual(['person', 'consent', 'situation']);
    expect(input.properties.person?.required).toEqual([
      'personalIdentityNumber',
      'givenName',
      'familyName',
      'municipalityCode',
    ]);
    expect(input.properties.consent?.required).toEqual(['given', 'recordedAt']);
    expect(Object.keys(referralInputSchema.shape)).toEqual(Object.keys(input.properties));
  });

  it('matches the committed copy in docs/openapi.json (run `npm run openapi` after changing a schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
