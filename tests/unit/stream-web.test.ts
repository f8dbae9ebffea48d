import { Readable } from 'node:stream';
import * as web from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { ReadableStream } from '../../infra/bundling/stream-web.js';

/** The bundles' stand-in for node:stream/web's ReadableStream (an esbuild alias) answers instanceof alike. */
describe('ReadableStream (bundled stand-in)', () => {
  it('recognises what the real class recognises, and nothing else', () => {
    const values = [new web.ReadableStream(), Readable.from(['x']), {}, 'text', null, undefined];
    for (const value of values) {
      expect(value instanceof ReadableStream).toBe(value instanceof web.ReadableStream);
    }
    expect(new web.ReadableStream() instanceof ReadableStream).toBe(true);
  });
});
