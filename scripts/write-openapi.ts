import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../shared/api/openapi.js';

/** Writes docs/openapi.json, the copy agency integrators read; a test fails when it is stale. */
const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`Wrote ${target.pathname}`);
