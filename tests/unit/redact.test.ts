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

  it('finds identity numbers and addresses that are percent-encoded, as in a request path', () => {
    for (const path of [
      '/cases/19901211%2B9948',
      '/cases/19901211%2D9948',
      '/cases/19901211%2d9948',
      '/cases/%31%39%39%30%31%32%31%31%2D%39%39%34%38',
      '/cases/901211%252B9948',
      '/referrals?email=anna%40example.se',
    ]) {
      const redacted = String(redactValue('path', path));
      expect(redacted, path).toContain(REDACTED);
      expect(redacted, path).not.toMatch(/9948|anna/);
    }
  });

  it('reads malformed percent escapes as text instead of throwing', () => {
    expect(redactValue('path', '/cases/%E0%A4%A/100%')).toBe('/cases/%E0%A4%A/100%');
    expect(redactValue('path', '/cases/%zz19901211-9948')).toBe(`/cases/%zz${REDACTED}`);
    expect(redactValue('path', '/cases/%C3%B6%E0%A4/19901211%2B9948%')).toBe(
      `/cases/%C3%B6%E0%A4/${REDACTED}%`,
    );
    // Decoding never writes a control character (a line break) into a log line.
    expect(redactValue('path', '/cases/19901211%2B9948%0A%0D')).toBe(`/cases/${REDACTED}%0A%0D`);
  });

  it('leaves ids, counts and codes alone', () => {
    expect(redactValue('caseId', 'b8b76d66-bd1f-4f95-98e1-2155f28a5b53')).toBe(
      'b8b76d66-bd1f-4f95-98e1-2155f28a5b53',
    );
    expect(redactValue('failed', 2)).toBe(2);
    expect(redactValue('targetGroups', ['TG1'])).toEqual(['TG1']);
    expect(redactValue('path', '/cases/b8b76d66-bd1f-4f95-98e1-2155f28a5b53%20')).toBe(
      '/cases/b8b76d66-bd1f-4f95-98e1-2155f28a5b53%20',
    );
  });
});

describe('redactValue on stacks', () => {
  it('keeps package paths in a stack readable', () => {
    const frame = 'at send (/work/main/node_modules/@smithy/smithy-client/dist-cjs/index.js:332:34)';
    expect(redactValue('stack', frame)).toBe(frame);
  });
});
