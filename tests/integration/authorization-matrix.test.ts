import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../helpers/events.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * Every role × every endpoint, on a case routed to the labour-market unit only and referred by the
 * municipality: the status each role gets, and that a refusal carries nothing of the case.
 */
let stack: TestStack;
let referralId: string;
let caseId: string;
let personalIdentityNumber: string;

const ROLES: Record<string, string[] | null> = {
  municipality: ['agency-municipality'],
  'employment-officer': ['agency-employment-service'],
  'insurance-officer': ['agency-social-insurance'],
  'front-desk': ['team-front-desk'],
  'employment-team': ['team-employment-service'],
  'insurance-team': ['team-social-insurance'],
  'labour-team': ['team-labour-market-unit'],
  partner: ['team-partner-programmes'],
  admin: ['admins'],
  // Contract v1.1: statistics only, never a case, a referral or an audit trail.
  'steering-group': ['steering-group'],
  'unknown-group': ['visitors'],
  'no-token': null,
};

type Endpoint = {
  name: string;
  fn: Parameters<TestStack['call']>[0];
  request: () => Omit<ApiRequest, 'groups'>;
};

const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /referrals',
    fn: 'submit-referral',
    request: () => ({ method: 'POST', resource: '/referrals', body: referralBody('municipality') }),
  },
  { name: 'GET /referrals', fn: 'list-referrals', request: () => ({ resource: '/referrals' }) },
  {
    name: 'GET /referrals/{id}',
    fn: 'get-referral',
    request: () => ({ resource: '/referrals/{referralId}', pathParameters: { referralId } }),
  },
  {
    name: 'GET /cases',
    fn: 'list-cases',
    request: () => ({ resource: '/cases', query: { team: 'labour-market-unit' } }),
  },
  {
    name: 'GET /cases/{id}',
    fn: 'get-case',
    request: () => ({ resource: '/cases/{caseId}', pathParameters: { caseId } }),
  },
  {
    name: 'GET /cases/{id}/audit',
    fn: 'get-case-audit',
    request: () => ({ resource: '/cases/{caseId}/audit', pathParameters: { caseId } }),
  },
  {
    name: 'POST /cases/{id}/notes',
    fn: 'post-case-note',
    request: () => ({
      method: 'POST',
      resource: '/cases/{caseId}/notes',
      pathParameters: { caseId },
      body: { team: 'labour-market-unit', text: 'Anteckning.' },
    }),
  },
];

// Situation bodies need the submitting agency's own fields, so POST /referrals uses the caller's agency.
const BODY_FOR: Record<string, Parameters<typeof referralBody>[0]> = {
  municipality: 'municipality',
  'employment-officer': 'employment-service',
  'insurance-officer': 'social-insurance',
};

const EXPECTED: Record<string, Record<string, number>> = {
  'POST /referrals': { municipality: 202, 'employment-officer': 202, 'insurance-officer': 202 },
  'GET /referrals': { municipality: 200, 'employment-officer': 200, 'insurance-officer': 200 },
  'GET /referrals/{id}': {
    municipality: 200,
    'employment-officer': 404,
    'insurance-officer': 404,
    admin: 200,
  },
  'GET /cases': { 'front-desk': 200, 'labour-team': 200, admin: 200 },
  'GET /cases/{id}': {
    'front-desk': 200,
    'labour-team': 200,
    admin: 200,
    'employment-team': 404,
    'insurance-team': 404,
    partner: 404,
  },
  'GET /cases/{id}/audit': { admin: 200 },
  'POST /cases/{id}/notes': { 'labour-team': 201 },
};

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
  const body = referralBody('municipality', { situation: { financialAssistanceMonths: 10 } });
  personalIdentityNumber = body.person.personalIdentityNumber;
  const accepted = await stack.submit(body, ['agency-municipality']);
  referralId = accepted.body.referralId;
  caseId = accepted.body.caseId;
  await stack.waitForStatus(referralId, 'ROUTED', ['agency-municipality']);
});
afterAll(async () => {
  await stack?.stop();
});

describe.each(ENDPOINTS)('$name', (endpoint) => {
  it.each(Object.keys(ROLES))(
    'answers %s as the matrix says, and leaks nothing when it refuses',
    async (role) => {
      const groups = ROLES[role]!;
      const request = endpoint.request();
      if (endpoint.fn === 'submit-referral' && BODY_FOR[role]) request.body = referralBody(BODY_FOR[role]);

      const response = await stack.call(endpoint.fn, { ...request, groups });

      const expected = groups === null ? 401 : (EXPECTED[endpoint.name]![role] ?? 403);
      expect(response.status).toBe(expected);
      if (expected >= 400) {
        expect(response.headers['content-type']).toBe('application/problem+json');
        const text = JSON.stringify(response.body);
        expect(text).not.toContain(caseId);
        expect(text).not.toContain(personalIdentityNumber.replace('-', '').slice(0, 8));
      }
    },
  );
});

describe('POST /cases/{id}/events', () => {
  const OUTCOME: Record<string, number> = {
    'front-desk': 409, // may read every case, but the case is not routed to the front desk
    'employment-team': 404,
    'insurance-team': 404,
    partner: 404,
    'labour-team': 200,
  };
  const TEAM_OF: Record<string, string> = {
    'front-desk': 'front-desk',
    'employment-team': 'employment-service',
    'insurance-team': 'social-insurance',
    'labour-team': 'labour-market-unit',
    partner: 'partner-programmes',
  };

  // The one that succeeds goes last: it changes the case.
  it.each(Object.keys(ROLES).sort((a, b) => Number(a === 'labour-team') - Number(b === 'labour-team')))(
    'answers %s as the matrix says',
    async (role) => {
      const groups = ROLES[role]!;
      const response = await stack.call('post-case-event', {
        method: 'POST',
        resource: '/cases/{caseId}/events',
        pathParameters: { caseId },
        body: { type: 'accepted', team: TEAM_OF[role] ?? 'labour-market-unit' },
        groups,
      });
      expect(response.status).toBe(groups === null ? 401 : (OUTCOME[role] ?? 403));
    },
  );
});
