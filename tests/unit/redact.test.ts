import { describe, expect, it } from 'vitest';
import { REDACTED, redactValue } from '../../shared/redact.js';

describe('redactValue', () => {
  it('redacts personal and health fields by name, whatever they hold', () => {
    for (const key of [
      'personalIdentityNumber',
      'givenName',
      'reason',
      'situation',
      'disability',
      'Item',
      'body',
    ]) {
      expect(redactValue(key, 'anything'), key).toBe(REDACTED);
      expect(redactValue(key, { nested: true }), key).toBe(REDACTED);
    }
  });

  it('redacts identity numbers and e-mail addresses inside any text', () => {
    expect(redactValue('message', 'Conditional check failed for 19901211-9948 and 901211+9948')).toBe(
      `Conditional check failed for ${REDACTED} and ${REDACTED}`,
    );
    expect(redactValue('message', 'key 199012119948 mailed anna@example.se')).toBe(
      `key ${REDACTED} mailed ${REDACTED}`,
    );
  });

  it('leaves ids, counts and codes alone', () => {
    expect(redactValue('caseId', 'b8b76d66-bd1f-4f95-98e1-2155f28a5b53')).toBe(
      'b8b76d66-bd1f-4f95-98e1-2155f28a5b53',
    );
    expect(redactValue('failed', 2)).toBe(2);
    expect(redactValue('targetGroups', ['TG1'])).toEqual(['TG1']);
  });
});

describe('redactValue on stacks', () => {
  it('keeps package paths in a stack readable', () => {
    const frame = 'at send (/work/main/node_modules/@smithy/smithy-client/dist-cjs/index.js:332:34)';
    expect(redactValue('stack', frame)).toBe(frame);
  });
});
