import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
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
  const TEAMS = DEFAULT_DEPLOYMENT.teams;

  it('reads the groups however API Gateway hands them over', () => {
    expect(parseGroups('agency-municipality,admins', TEAMS)).toEqual(['agency-municipality', 'admins']);
    expect(parseGroups('[agency-municipality admins]', TEAMS)).toEqual(['agency-municipality', 'admins']);
    expect(parseGroups('["agency-municipality","admins"]', TEAMS)).toEqual(['agency-municipality', 'admins']);
    expect(parseGroups(['team-front-desk', 'steering-group'], TEAMS)).toEqual([
      'team-front-desk',
      'steering-group',
    ]);
    expect(parseGroups('admins', TEAMS)).toEqual(['admins']);
    expect(parseGroups(undefined, TEAMS)).toEqual([]);
    expect(parseGroups(42, TEAMS)).toEqual([]);
  });

  it('takes each element of an array as one group name, never splitting it', () => {
    expect(parseGroups(['team-x,admins'], TEAMS)).toEqual([]);
    expect(parseGroups(['team-front-desk,admins'], TEAMS)).toEqual([]);
    expect(parseGroups(['[admins]', 'admins ', ' admins', 'Admins'], TEAMS)).toEqual([]);
    expect(parseGroups('["team-x,admins"]', TEAMS)).toEqual([]);
    expect(parseGroups('["[\\"admins\\"]"]', TEAMS)).toEqual([]);
    expect(parseGroups(['admins', 1, null, ['admins']], TEAMS)).toEqual(['admins']);
  });

  it("ignores every name that is not the contract's, and teams the deployment does not have", () => {
    expect(parseGroups('team-x,visitors,admins', TEAMS)).toEqual(['admins']);
    expect(parseGroups(['team-unknown', 'team-', 'team-front-desk'], TEAMS)).toEqual(['team-front-desk']);
    expect(parseGroups(['team-front-desk'], ['employment-service'])).toEqual([]);
    expect(parseGroups(['agency-police', 'agency-'], TEAMS)).toEqual([]);
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

  it('gives no rights from a group whose one name holds other names, nor from unknown teams', () => {
    for (const groups of [['team-x,admins'], ['team-front-desk,admins'], '["team-x,admins"]']) {
      const caller = callerFrom(event({ ...valid, 'cognito:groups': groups }), expectations, NOW);
      expect(caller, JSON.stringify(groups)).toMatchObject({ groups: [], teams: [], admin: false });
      expect(caller.agency).toBeUndefined();
    }
    const unknownTeam = callerFrom(
      event({ ...valid, 'cognito:groups': 'team-unknown,team-front-desk' }),
      { ...expectations, teams: ['front-desk', 'employment-service'] },
      NOW,
    );
    expect(unknownTeam).toMatchObject({ groups: ['team-front-desk'], teams: ['front-desk'] });
    const otherDeployment = callerFrom(
      event({ ...valid, 'cognito:groups': ['team-labour-market-unit'] }),
      { ...expectations, teams: ['front-desk'] },
      NOW,
    );
    expect(otherDeployment.teams).toEqual([]);
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
