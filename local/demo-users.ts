/**
 * The demo users of the local runtime (CONTRACT.md, "Local runtime"): one per agency group, one per
 * team group, an administrator and a member of the steering group. Their groups are the Cognito groups the deployed user pool has.
 * Local only: these users never exist in a deployed stack.
 */
export type DemoUser = {
  /** What `POST /local/login` takes as `user`; also the token's `cognito:username`. */
  id: string;
  name: string;
  groups: readonly string[];
};

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'municipality-officer', name: 'Municipality officer', groups: ['agency-municipality'] },
  { id: 'employment-officer', name: 'Employment Service officer', groups: ['agency-employment-service'] },
  { id: 'insurance-officer', name: 'Social Insurance officer', groups: ['agency-social-insurance'] },
  { id: 'front-desk-coordinator', name: 'Front-desk coordinator', groups: ['team-front-desk'] },
  {
    id: 'employment-service-team',
    name: 'Employment Service team member',
    groups: ['team-employment-service'],
  },
  { id: 'social-insurance-team', name: 'Social Insurance team member', groups: ['team-social-insurance'] },
  { id: 'labour-market-team', name: 'Labour-market unit member', groups: ['team-labour-market-unit'] },
  { id: 'partner-team', name: 'Partner programmes member', groups: ['team-partner-programmes'] },
  { id: 'admin', name: 'Administrator', groups: ['admins'] },
  // Contract v1.1: reads statistics only; never a case, a referral or an audit trail.
  { id: 'steering-group-member', name: 'Steering group member', groups: ['steering-group'] },
];

export function findDemoUser(id: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.id === id);
}
