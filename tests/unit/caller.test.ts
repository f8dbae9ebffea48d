import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { UnauthorizedError } from '../../shared/errors.js';
import { apiScopes, callerFrom, groupsFromScope, parseGroups } from '../../shared/http/caller.js';

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

  describe('an access token', () => {
    const userAccess = {
      sub: 'user-1',
      token_use: 'access',
      iss: valid.iss,
      client_id: 'client-1',
      username: 'anna',
      scope: 'openid frontdesk/staff',
      exp: String(NOW / 1000 + 60),
      'cognito:groups': 'team-front-desk',
    };
    const machine = {
      sub: 'af-ais-client',
      token_use: 'access',
      iss: valid.iss,
      client_id: 'af-ais-client',
      scope: 'frontdesk/agency-employment-service',
      exp: String(NOW / 1000 + 60),
    };

    it("of a person, from a staff app client, gives the person's groups", () => {
      const caller = callerFrom(event(userAccess), expectations, NOW);
      expect(caller).toMatchObject({ subject: 'user-1', teams: ['front-desk'] });
      expect(caller.client).toBeUndefined();
    });

    it("of a machine client gives exactly its scope's group, and names the client as the actor", () => {
      const caller = callerFrom(event(machine), expectations, NOW);
      expect(caller).toEqual({
        subject: 'af-ais-client',
        client: 'af-ais-client',
        name: 'af-ais-client',
        groups: ['agency-employment-service'],
        agency: 'employment-service',
        teams: [],
        admin: false,
      });
      const team = callerFrom(
        event({ ...machine, scope: 'frontdesk/team-labour-market-unit' }),
        expectations,
        NOW,
      );
      expect(team).toMatchObject({ groups: ['team-labour-market-unit'], teams: ['labour-market-unit'] });
    });

    it('of a machine client is accepted from any app client of the pool, never of another pool', () => {
      expect(
        callerFrom(event({ ...machine, client_id: 'added-after-deploy' }), expectations, NOW).subject,
      ).toBe('added-after-deploy');
      for (const claims of [
        { ...machine, iss: 'https://cognito-idp.eu-north-1.amazonaws.com/other' },
        { ...machine, exp: String(NOW / 1000 - 1) },
        { ...machine, client_id: '' },
        // No group scope: only a staff app client's token speaks for a person.
        { ...machine, scope: 'frontdesk/staff' },
        { ...machine, scope: 'frontdesk/agency-police' },
        { ...userAccess, client_id: 'client-2' },
      ]) {
        expect(() => callerFrom(event(claims), expectations, NOW), JSON.stringify(claims)).toThrow(
          UnauthorizedError,
        );
      }
    });
  });
});

describe('groupsFromScope', () => {
  const TEAMS = DEFAULT_DEPLOYMENT.teams;

  it('reads each frontdesk/<group> scope whole, and only contract groups', () => {
    expect(groupsFromScope('frontdesk/admins frontdesk/team-front-desk openid', TEAMS)).toEqual([
      'admins',
      'team-front-desk',
    ]);
    expect(groupsFromScope('frontdesk/team-x,admins', TEAMS)).toEqual([]);
    expect(groupsFromScope('frontdesk/team-youth-unit', TEAMS)).toEqual([]);
    expect(groupsFromScope('other/admins frontdesk/Admins frontdesk/ admins', TEAMS)).toEqual([]);
    expect(groupsFromScope(['frontdesk/admins'], TEAMS)).toEqual([]);
  });

  it('is the inverse of the scopes every method names', () => {
    const groups = ['agency-municipality', 'team-front-desk', 'admins'];
    expect(apiScopes(groups)).toEqual([
      'frontdesk/staff',
      'frontdesk/agency-municipality',
      'frontdesk/team-front-desk',
      'frontdesk/admins',
    ]);
    expect(groupsFromScope(apiScopes(groups).join(' '), TEAMS)).toEqual(groups);
  });
});
