import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, caseStatus, nextState } from '../../shared/cases/assignments.js';
import { caseEventSchema } from '../../shared/cases/case-event-schema.js';
import { applyCaseEvent } from '../../shared/cases/case-events.js';
import type { Assignment, AssignmentState, CaseRecord } from '../../shared/cases/model.js';
import { ConflictError } from '../../shared/errors.js';

const ALLOWED: Record<
  AssignmentState,
  Partial<Record<(typeof CASE_EVENT_TYPES)[number], AssignmentState>>
> = {
  routed: { accepted: 'accepted', declined: 'declined' },
  accepted: { 'intervention-started': 'intervention-started', declined: 'declined', closed: 'closed' },
  'intervention-started': { closed: 'closed' },
  closed: {},
  declined: {},
  withdrawn: {},
};

describe('nextState', () => {
  for (const [from, allowed] of Object.entries(ALLOWED) as [
    AssignmentState,
    (typeof ALLOWED)[AssignmentState],
  ][]) {
    for (const event of CASE_EVENT_TYPES) {
      const to = allowed[event];
      it(`${to ? 'moves' : 'refuses'} ${event} from ${from}${to ? ` to ${to}` : ''}`, () => {
        expect(nextState(from, event)).toBe(to);
      });
    }
  }
});

const assignment = (team: string, state: AssignmentState): Assignment => ({
  team,
  state,
  routedAt: '2026-11-23T09:00:00.000Z',
});
const statusOf = (...states: [string, AssignmentState][]) =>
  caseStatus({
    screening: {} as CaseRecord['screening'],
    assignments: Object.fromEntries(states.map(([team, state]) => [team, assignment(team, state)])),
  });

describe('caseStatus', () => {
  it('is RECEIVED before screening and ROUTED while no team has accepted', () => {
    expect(caseStatus({ screening: null, assignments: {} })).toBe('RECEIVED');
    expect(statusOf(['employment-service', 'routed'], ['front-desk', 'routed'])).toBe('ROUTED');
  });

  it('is IN_PROGRESS once one team accepts', () => {
    expect(statusOf(['employment-service', 'accepted'], ['front-desk', 'routed'])).toBe('IN_PROGRESS');
    expect(statusOf(['employment-service', 'closed'], ['front-desk', 'routed'])).toBe('IN_PROGRESS');
  });

  it('is CLOSED when every team still routed has closed, whatever the teams that declined', () => {
    expect(statusOf(['employment-service', 'closed'], ['front-desk', 'closed'])).toBe('CLOSED');
    expect(statusOf(['employment-service', 'closed'], ['partner-programmes', 'declined'])).toBe('CLOSED');
    expect(statusOf(['employment-service', 'closed'], ['front-desk', 'intervention-started'])).toBe(
      'IN_PROGRESS',
    );
  });
});

function routedCase(...teams: [string, AssignmentState][]): CaseRecord {
  return {
    caseId: '11111111-1111-4111-8111-111111111111',
    reference: 'FD-2026-00001',
    status: 'ROUTED',
    personKey: 'key',
    person: {
      personalIdentityNumber: '199012119948',
      givenName: 'A',
      familyName: 'B',
      municipalityCode: '2262',
    },
    referrals: [],
    screening: {
      eligible: true,
      targetGroups: ['TG4'],
      priority: 'normal',
      jointAssessment: false,
      routes: teams.map(([team]) => team),
      reasons: [],
      rulesetVersion: 'v',
      screenedAt: '2026-11-23T09:00:00.000Z',
    },
    screenedReferrals: 0,
    assignments: Object.fromEntries(teams.map(([team, state]) => [team, assignment(team, state)])),
    outbox: [],
    history: [],
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    version: 3,
  };
}
const AT = '2026-11-24T10:00:00.000Z';

describe('applyCaseEvent', () => {
  it('records the step with its time and outcome, and derives the case status', () => {
    const accepted = applyCaseEvent(
      routedCase(['labour-market-unit', 'routed']),
      { type: 'accepted', team: 'labour-market-unit' },
      AT,
      'front-desk',
    );
    expect(accepted).toMatchObject({ status: 'IN_PROGRESS', version: 4 });
    expect(accepted.assignments['labour-market-unit']).toMatchObject({ state: 'accepted', acceptedAt: AT });
    const closed = applyCaseEvent(
      accepted,
      { type: 'closed', team: 'labour-market-unit', outcome: 'studies' },
      AT,
      'front-desk',
    );
    expect(closed.status).toBe('CLOSED');
    expect(closed.history.at(-1)).toEqual({
      at: AT,
      event: 'closed',
      team: 'labour-market-unit',
      outcome: 'studies',
    });
  });

  it('sends the case to the front desk, with a message, when the last team declines', () => {
    const declined = applyCaseEvent(
      routedCase(['labour-market-unit', 'routed']),
      { type: 'declined', team: 'labour-market-unit', reason: 'Fel målgrupp' },
      AT,
      'front-desk',
    );
    expect(declined.status).toBe('ROUTED');
    expect(declined.assignments['front-desk']).toMatchObject({ state: 'routed', routedAt: AT });
    expect(declined.outbox).toEqual([expect.objectContaining({ type: 'case.routed', team: 'front-desk' })]);
    expect(declined.history.slice(-2).map((step) => [step.event, step.team])).toEqual([
      ['declined', 'labour-market-unit'],
      ['routed', 'front-desk'],
    ]);
  });

  it('takes the case back to the front desk even when the front desk had declined it before', () => {
    const declined = applyCaseEvent(
      routedCase(['labour-market-unit', 'accepted'], ['front-desk', 'declined']),
      { type: 'declined', team: 'labour-market-unit', reason: 'Flyttar' },
      AT,
      'front-desk',
    );
    expect(declined.assignments['front-desk']?.state).toBe('routed');
  });

  it('does not let the front desk decline when it is the last team', () => {
    expect(() =>
      applyCaseEvent(
        routedCase(['front-desk', 'routed']),
        { type: 'declined', team: 'front-desk', reason: 'x' },
        AT,
        'front-desk',
      ),
    ).toThrow(ConflictError);
  });

  it('refuses an event for a team the case is not routed to, or has left', () => {
    const record = routedCase(['labour-market-unit', 'routed'], ['partner-programmes', 'declined']);
    for (const team of ['social-insurance', 'partner-programmes']) {
      expect(() => applyCaseEvent(record, { type: 'accepted', team }, AT, 'front-desk')).toThrow(
        ConflictError,
      );
    }
  });

  it('refuses an event its assignment does not allow', () => {
    expect(() =>
      applyCaseEvent(
        routedCase(['labour-market-unit', 'routed']),
        { type: 'closed', team: 'labour-market-unit', outcome: 'other' },
        AT,
        'front-desk',
      ),
    ).toThrow(/cannot mark the case closed/);
  });
});

describe('caseEventSchema', () => {
  it('requires a reason to decline and an outcome to close, and an outcome only to close', () => {
    const paths = (body: unknown) => {
      const result = caseEventSchema.safeParse(body);
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(paths({ type: 'declined', team: 'labour-market-unit' })).toEqual(['reason']);
    expect(paths({ type: 'closed', team: 'labour-market-unit' })).toEqual(['outcome']);
    expect(paths({ type: 'accepted', team: 'labour-market-unit', outcome: 'studies' })).toEqual(['outcome']);
    expect(paths({ type: 'closed', team: 'labour-market-unit', outcome: 'employment' })).toEqual([]);
    expect(paths({ type: 'reopened', team: 'labour-market-unit' })).toEqual(['type']);
    expect(paths({ type: 'accepted', team: '__proto__' })).toEqual(['team']);
    expect(paths({ type: 'accepted', team: 'labour-market-unit', caseId: 'x' })).toEqual(['']);
  });
});

describe('retainUntil', () => {
  it('keeps a closed case 24 months by default, counted in calendar months', async () => {
    const { retainUntil } = await import('../../shared/cases/retention.js');
    expect(new Date(retainUntil('2026-11-23T10:00:00.000Z', 24) * 1000).toISOString()).toBe(
      '2028-11-23T10:00:00.000Z',
    );
    expect(retainUntil('2026-11-23T10:00:00.000Z', 0)).toBe(Date.parse('2026-11-23T10:00:00.000Z') / 1000);
  });
});
