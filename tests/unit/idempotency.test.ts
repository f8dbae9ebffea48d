import { describe, expect, it } from 'vitest';
import { canonicalJson, idempotencyRequest, idFromKey } from '../../shared/idempotency.js';
import { isUuid } from '../../shared/ids.js';

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

describe('idFromKey', () => {
  it('names the same referral for the same scope and key, another for another scope or key', () => {
    const request = (scope: string, key: string) => idempotencyRequest(scope, key, {})!;
    const id = idFromKey(request('municipality', 'key-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuid(id)).toBe(true);
    expect(idFromKey(request('municipality', 'key-1'))).toBe(id);
    // The body does not take part: a retry with another body finds the first referral (and a 409).
    expect(idFromKey(idempotencyRequest('municipality', 'key-1', { other: true })!)).toBe(id);
    expect(idFromKey(request('employment-service', 'key-1'))).not.toBe(id);
    expect(idFromKey(request('municipality', 'key-2'))).not.toBe(id);
  });
});
