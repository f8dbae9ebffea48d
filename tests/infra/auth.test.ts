import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../../infra/constructs/auth.js';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';

/** The identities construct alone: the resource server and what each app client may ask for. */
describe('Auth', () => {
  let template: Template;
  let auth: Auth;

  beforeAll(() => {
    const stack = new Stack(new App(), 'AuthTest', {
      env: { account: '123456789012', region: 'eu-north-1' },
    });
    auth = new Auth(stack, 'Auth', {
      deployment: DEFAULT_DEPLOYMENT,
      callbackUrls: ['https://front-desk.example/app/auth/callback'],
    });
    template = Template.fromStack(stack);
  });

  const groupScopes = [
    'agency-municipality',
    'agency-employment-service',
    'agency-social-insurance',
    ...DEFAULT_DEPLOYMENT.teams.map((team) => `team-${team}`),
    'admins',
    'steering-group',
  ];

  it('has the resource server frontdesk with the staff scope and one scope per contract group', () => {
    const servers = template.findResources('AWS::Cognito::UserPoolResourceServer');
    expect(Object.keys(servers)).toHaveLength(1);
    const [server] = Object.values(servers);
    expect(server?.Properties.Identifier).toBe('frontdesk');
    expect(server?.Properties.Scopes.map((scope: { ScopeName: string }) => scope.ScopeName)).toEqual([
      'staff',
      ...groupScopes,
    ]);
    expect(auth.apiScopes).toEqual(['frontdesk/staff', ...groupScopes.map((group) => `frontdesk/${group}`)]);
  });

  it("lets the web pages' client ask for the staff scope, never a group's, and never client credentials", () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      // `<resource server id>/staff`: the reference makes Cognito create the server before the client.
      AllowedOAuthScopes: Match.arrayWith([
        'openid',
        { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('ResourceServer|Api') }, '/staff']] },
      ]),
    });
    for (const [id, client] of Object.entries(template.findResources('AWS::Cognito::UserPoolClient'))) {
      const scopes = (client.Properties.AllowedOAuthScopes ?? []).map((scope: unknown) =>
        JSON.stringify(scope),
      );
      expect(
        scopes.filter((scope: string) => scope.includes('frontdesk/') && !scope.includes('frontdesk/staff')),
        id,
      ).toEqual([]);
      expect(client.Properties.AllowedOAuthFlows, id).not.toContain('client_credentials');
    }
  });

  it('keeps the staff group list and the scopes from one deployment: a new team gets both', () => {
    const stack = new Stack(new App(), 'AuthTeams', {
      env: { account: '123456789012', region: 'eu-north-1' },
    });
    const withYouth = new Auth(stack, 'Auth', {
      deployment: { ...DEFAULT_DEPLOYMENT, teams: [...DEFAULT_DEPLOYMENT.teams, 'youth-unit'] },
      callbackUrls: ['https://front-desk.example/app/auth/callback'],
    });
    expect(withYouth.groups).toContain('team-youth-unit');
    expect(withYouth.apiScopes).toContain('frontdesk/team-youth-unit');
  });
});
