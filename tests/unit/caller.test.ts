import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../shared/errors.js';
import { callerFrom, parseGroups } from '../../shared/http/caller.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const event = (claims: Record<string, unknown> | undefined) =>
  ({ requestContext: { authorizer: claims ? { claims } : null } }) as Parameters<typeof callerFrom>[0];
const valid = {
  sub: 'user-1',
  token_use: 'id',
  iss: 'https://cognito-idp.eu-north-1.amazonaws.com/pool',
  aud: 'client-1',
  exp: String(NOW / 1000 + 60),
  'cognito:groups': 'agency-municipality',
};
const expectations = { issuer: valid.iss, audiences: ['client-1'] };

describe('parseGroups', () => {
  it('reads the groups however API Gateway hands them over', () => {
    expect(parseGroups('a,b')).toEqual(['a', 'b']);
    expect(parseGroups('[a b]')).toEqual(['a', 'b']);
    expect(parseGroups(['a', 'b'])).toEqual(['a', 'b']);
    expect(parseGroups(undefined)).toEqual([]);
  });
});

describe('callerFrom', () => {
  it('takes the agency, teams and admin role from the groups', () => {
    const caller = callerFrom(
      event({ ...valid, 'cognito:groups': 'agency-municipality,team-front-desk,admins' }),
      expectations,
      NOW,
    );
    expect(caller).toMatchObject({
      subject: 'user-1',
      agency: 'municipality',
      teams: ['front-desk'],
      admin: true,
    });
  });

  it('refuses a token that is not an ID token of this pool and app client, or has expired', () => {
    const refused = [
      undefined,
      { ...valid, sub: '' },
      { ...valid, token_use: 'access' },
      { ...valid, iss: 'https://evil.example' },
      { ...valid, aud: 'client-2' },
      { ...valid, exp: String(NOW / 1000 - 1) },
      { ...valid, exp: 'Mon Nov 23 09:59:00 UTC 2026' },
      { ...valid, exp: 'not a date' },
    ];
    for (const claims of refused) {
      expect(() => callerFrom(event(claims), expectations, NOW), JSON.stringify(claims)).toThrow(
        UnauthorizedError,
      );
    }
    expect(
      callerFrom(event({ ...valid, exp: 'Mon Nov 23 10:01:00 UTC 2026' }), expectations, NOW).subject,
    ).toBe('user-1');
  });

  it('has no agency when the groups name none, or more than one', () => {
    expect(
      callerFrom(event({ ...valid, 'cognito:groups': 'visitors' }), expectations, NOW).agency,
    ).toBeUndefined();
    expect(
      callerFrom(
        event({ ...valid, 'cognito:groups': 'agency-municipality,agency-social-insurance' }),
        expectations,
        NOW,
      ).agency,
    ).toBeUndefined();
  });
});
