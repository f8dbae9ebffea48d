import { EndpointCache as Original } from '@aws-sdk/endpoint-cache';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EndpointCache } from '../../infra/bundling/endpoint-cache.js';

/**
 * The bundles' stand-in for @aws-sdk/endpoint-cache (an esbuild alias) must behave as the original:
 * the same answers to the same calls, eviction of the least recently used key included.
 */
const keys = fc.constantFrom('a', 'b', 'c', 'd');
const operation = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('get' as const), key: keys }), weight: 3 },
  fc.record({
    op: fc.constant('set' as const),
    key: keys,
    endpoints: fc.array(
      fc.record({
        Address: fc.constantFrom('', 'x.example', 'y.example'),
        CachePeriodInMinutes: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 2 },
    ),
  }),
  fc.record({ op: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), key: keys }),
  fc.record({ op: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 2 }) }),
  { arbitrary: fc.record({ op: fc.constant('clear' as const) }), weight: 1 },
);

afterEach(() => {
  vi.useRealTimers();
});

describe('EndpointCache (bundled stand-in)', () => {
  it('answers every sequence of calls as @aws-sdk/endpoint-cache does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(operation, { maxLength: 40 }), (capacity, ops) => {
        vi.useFakeTimers({ now: 0 });
        const original = new Original(capacity);
        const standIn = new EndpointCache(capacity);
        for (const step of ops) {
          switch (step.op) {
            case 'set':
              original.set(step.key, step.endpoints);
              standIn.set(step.key, step.endpoints);
              break;
            case 'get':
              expect(standIn.get(step.key)).toEqual(original.get(step.key));
              break;
            case 'has':
              expect(standIn.has(step.key)).toBe(original.has(step.key));
              break;
            case 'delete':
              original.delete(step.key);
              standIn.delete(step.key);
              break;
            case 'advance':
              vi.advanceTimersByTime(step.minutes * 60_000);
              break;
            case 'clear':
              original.clear();
              standIn.clear();
              break;
          }
        }
        for (const key of ['a', 'b', 'c', 'd']) expect(standIn.get(key)).toEqual(original.get(key));
        vi.useRealTimers();
      }),
      { numRuns: 500 },
    );
  });

  it('evicts the least recently used key: a read counts as a use', () => {
    const cache = new EndpointCache(2);
    cache.set('a', [{ Address: 'x.example', CachePeriodInMinutes: 1 }]);
    cache.set('b', [{ Address: 'y.example', CachePeriodInMinutes: 1 }]);
    cache.get('a');
    cache.set('c', [{ Address: 'z.example', CachePeriodInMinutes: 1 }]);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('picks one of the unexpired endpoints', () => {
    const cache = new EndpointCache(10);
    cache.set('k', [
      { Address: 'x.example', CachePeriodInMinutes: 1 },
      { Address: 'y.example', CachePeriodInMinutes: 1 },
    ]);
    expect(['x.example', 'y.example']).toContain(cache.getEndpoint('k'));
    expect(cache.getEndpoint('other')).toBeUndefined();
  });
});
