import type { Assignment, CaseRecord, FollowUp } from '../cases/model.js';
import { ageOn, fromNormalised } from '../identity/personal-identity-number.js';

/** The contract's dimensions of a figure (CONTRACT.md v1.1, "Statistics (follow-up)"). */
export const GENDERS = ['women', 'men'] as const;
export type Gender = (typeof GENDERS)[number];
export const AGE_BANDS = ['16-24', '25-29', '30-49', '50-65', 'other'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const BANDS: readonly [number, number, AgeBand][] = [
  [16, 24, '16-24'],
  [25, 29, '25-29'],
  [30, 49, '30-49'],
  [50, 65, '50-65'],
];

export function ageBandOf(age: number): AgeBand {
  return BANDS.find(([low, high]) => age >= low && age <= high)?.[2] ?? 'other';
}

/** One team's steps with the case: dates and the outcome only, never a reason or a note. */
export type TeamFacts = Pick<
  Assignment,
  | 'team'
  | 'state'
  | 'routedAt'
  | 'acceptedAt'
  | 'interventionStartedAt'
  | 'closedAt'
  | 'declinedAt'
  | 'withdrawnAt'
  | 'outcome'
>;

/**
 * Everything the statistics of a case rest on, and nothing that identifies the person: legal gender
 * (from the identity number), an age band (on the first referral), dates, target groups and
 * outcomes. A closed case leaves exactly these behind when its personal data goes, so the aggregates
 * can be rebuilt from live cases and these records alike.
 */
export type StatFacts = {
  caseId: string;
  createdAt: string;
  /** Set once the case is closed. */
  closedAt?: string;
  gender: Gender;
  ageBand: AgeBand;
  referrals: { agency: string; submittedAt: string }[];
  /** Whether a screening has been made; the figures below are its latest. */
  screened: boolean;
  eligible: boolean;
  priority: 'high' | 'normal';
  targetGroups: string[];
  rulesetVersion: string | null;
  teams: TeamFacts[];
  followUps: FollowUp[];
};

const stepsOf = ({ reason: _reason, note: _note, assignee: _who, ...steps }: Record<string, unknown>) =>
  steps;

export function statFacts(record: CaseRecord): StatFacts {
  const identity = fromNormalised(record.person.personalIdentityNumber);
  const firstReceived = record.referrals[0]?.submittedAt ?? record.createdAt;
  const screening = record.screening;
  return {
    caseId: record.caseId,
    createdAt: record.createdAt,
    ...(record.status === 'CLOSED' ? { closedAt: closedAtOf(record) } : {}),
    gender: identity.legalGender === 'female' ? 'women' : 'men',
    ageBand: ageBandOf(ageOn(identity.birthDate, new Date(firstReceived))),
    referrals: record.referrals.map(({ agency, submittedAt }) => ({ agency, submittedAt })),
    screened: screening !== null,
    eligible: screening?.eligible ?? false,
    priority: screening?.priority ?? 'normal',
    targetGroups: screening?.targetGroups ?? [],
    rulesetVersion: screening?.rulesetVersion ?? null,
    teams: Object.values(record.assignments).map(
      (assignment) => pick(stepsOf(assignment), TEAM_FIELDS) as TeamFacts,
    ),
    followUps: record.followUps ?? [],
  };
}

const TEAM_FIELDS = [
  'team',
  'state',
  'routedAt',
  'acceptedAt',
  'interventionStartedAt',
  'closedAt',
  'declinedAt',
  'withdrawnAt',
  'outcome',
] as const;

function pick(source: Record<string, unknown>, fields: readonly string[]) {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((f) => [f, source[f]]));
}

/** When a closed case closed: its `closed` step in the history, else its last change. */
function closedAtOf(record: CaseRecord): string {
  return record.history.findLast((event) => event.event === 'closed')?.at ?? record.updatedAt;
}

/**
 * Facts from an anonymous record as stored (STATS#<caseId>). Records written before the follow-up
 * statistics had `legalGender`, `receivedAt` and no follow-ups: they are read as what they meant.
 */
export function factsFromRecord(item: Record<string, unknown>): StatFacts {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const gender: Gender = item.gender === 'women' || item.legalGender === 'female' ? 'women' : 'men';
  const band = AGE_BANDS.includes(item.ageBand as AgeBand) ? (item.ageBand as AgeBand) : 'other';
  const referrals = Array.isArray(item.referralFacts)
    ? (item.referralFacts as StatFacts['referrals'])
    : ((item.agencies as string[] | undefined) ?? []).map((agency) => ({
        agency,
        submittedAt: text(item.receivedAt) ?? '',
      }));
  const createdAt = text(item.createdAt) ?? text(item.receivedAt) ?? '';
  return {
    caseId: String(item.caseId),
    createdAt,
    ...(text(item.closedAt) ? { closedAt: text(item.closedAt) } : {}),
    gender,
    ageBand: band,
    referrals,
    screened: item.screened === true || typeof item.rulesetVersion === 'string',
    eligible: item.eligible === true,
    priority: item.priority === 'high' ? 'high' : 'normal',
    targetGroups: (item.targetGroups as string[] | undefined) ?? [],
    rulesetVersion: text(item.rulesetVersion) ?? null,
    teams: (item.teams as TeamFacts[] | undefined) ?? [],
    followUps: (item.followUps as FollowUp[] | undefined) ?? [],
  };
}
