import { describe, expect, it } from 'vitest';
import { canonicalJson, idempotencyRequest } from '../../shared/idempotency.js';

describe('canonicalJson', () => {
  it('writes the same text whatever the key order, keys sorted at every level', () => {
    const a = { b: [1, { d: 'x', c: null }], a: true, e: { z: 1, y: [] } };
    const b = { e: { y: [], z: 1 }, a: true, b: [1, { c: null, d: 'x' }] };
    expect(canonicalJson(a)).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}],"e":{"y":[],"z":1}}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson('tekst "citat"')).toBe('"tekst \\"citat\\""');
    expect(canonicalJson({ '': {}, ö: [[]] })).toBe('{"":{},"ö":[[]]}');
  });

  it('writes a value nested 100,000 levels deep without running out of stack', () => {
    const depth = 100_000;
    const arrays = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    const objects = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

    expect(canonicalJson(arrays)).toBe(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(canonicalJson(objects)).toBe(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(idempotencyRequest('scope', 'key-1', arrays)?.requestHash).toEqual(expect.any(String));
  });
});
