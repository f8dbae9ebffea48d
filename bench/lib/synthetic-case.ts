/**
 * Synthetic cases for the back-office benchmark (section 5), built by the domain itself: referrals as
 * agencies send them, screened by the default ruleset (screenCase), routed (applyScreening), then moved
 * on by the teams' own events (applyCaseEvent), so every case is one the API could have written.
 * Deterministic for a seed; the identity numbers are Skatteverket-style test numbers (serial 980–999).
 */
import { randomUUID } from 'node:crypto';
import { activeAssignments } from '../../shared/cases/assignments.js';
import { applyCaseEvent, type CaseEvent } from '../../shared/cases/case-events.js';
import { type CaseRecord, OUTCOMES, type ReferralRecord } from '../../shared/cases/model.js';
import { formatReference } from '../../shared/cases/reference.js';
import { retainUntil } from '../../shared/cases/retention.js';
import { type Agency, DEFAULT_DEPLOYMENT, FRONT_DESK } from '../../shared/config/deployment.js';
import { ConflictError } from '../../shared/errors.js';
import type { PersonKeyer } from '../../shared/identity/person-key.js';
import { parsePersonalIdentityNumber } from '../../shared/identity/personal-identity-number.js';
import { COMPENSATIONS } from '../../shared/referrals/plain-text.js';
import type { Consent, Person, Situation } from '../../shared/referrals/schema.js';
import { applyScreening } from '../../shared/routing/route-case.js';
import { DEFAULT_RULESET } from '../../shared/screening/default-ruleset.js';
import { screenCase } from '../../shared/screening/screen-case.js';
import { swedishDateOf, swedishDay } from '../../shared/time.js';
import { testIdentityNumber } from '../../tests/helpers/identity-numbers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Cases arrive evenly over the last two years, unless told otherwise (Options.historyDays). */
const HISTORY_DAYS = 730;
/** As RETENTION_MONTHS defaults: a closed case's personal data is kept for 24 months. */
const RETENTION_MONTHS = 24;
const MAX_TEAMS = 3;

export type Random = () => number;

/** mulberry32: a small seeded generator, so two runs seed the same kind of table. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const chance = (random: Random, p: number) => random() < p;

const GIVEN_NAMES = ['Anna', 'Erik', 'Fatima', 'Johan', 'Maria', 'Ahmed', 'Sara', 'Lars', 'Amina', 'Karin'];
const FAMILY_NAMES = ['Exempel', 'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Hassan', 'Larsson', 'Ali'];
const LANGUAGES = ['sv', 'sv', 'sv', 'ar', 'so', 'ti', 'en', 'fa'];
const REASONS = [
  'Behöver stöd för att komma tillbaka till arbete. Önskar kontakt per telefon.',
  'Långvarigt ekonomiskt bistånd. Motiverad att börja arbetsträna, helst på förmiddagar.',
  'Sjukskriven sedan länge och vill pröva arbete på deltid med anpassning. Behöver tolk vid möten.',
  'Deltar i jobb- och utvecklingsgarantin. Vill ha hjälp med praktikplats och körkortsteori.',
];
const AGENCIES: readonly Agency[] = ['municipality', 'employment-service', 'social-insurance'];
/** Who sent the referrals of each agency (a Cognito `sub`). */
const OFFICERS: Record<Agency, string> = {
  municipality: randomUUID(),
  'employment-service': randomUUID(),
  'social-insurance': randomUUID(),
};
const NON_FALLBACK_TEAMS = DEFAULT_DEPLOYMENT.teams.filter((team) => team !== FRONT_DESK);

/** What each agency knows of a person, with the fields it must state (REQUIRED_SITUATION_FIELDS). */
function situationFrom(agency: Agency, random: Random): Situation {
  const capacity = chance(random, 0.5)
    ? { workCapacityHoursPerWeek: pick(random, [0, 5, 10, 20, 30, 40]) }
    : {};
  switch (agency) {
    case 'municipality':
      return {
        financialAssistanceMonths: between(random, 0, 30),
        ...(chance(random, 0.4) ? { unemployedMonths: between(random, 0, 30) } : {}),
        ...capacity,
      };
    case 'employment-service':
      return {
        unemployedMonths: between(random, 0, 30),
        jobAndDevelopmentGuarantee: chance(random, 0.4),
        unemploymentInsuranceExhausted: chance(random, 0.3),
        assignedToComplementaryActor: chance(random, 0.1),
        disability: chance(random, 0.1),
        ...capacity,
      };
    case 'social-insurance':
      return {
        sickLeaveMonths: between(random, 0, 30),
        compensation: pick(random, COMPENSATIONS),
        ...capacity,
      };
  }
}

function consentAt(submittedAt: Date, random: Random): Consent {
  const recipients = NON_FALLBACK_TEAMS.filter(() => chance(random, 0.6));
  return {
    given: true,
    recordedAt: swedishDateOf(submittedAt),
    method: chance(random, 0.8) ? 'written' : 'verbal',
    ...(chance(random, 0.35) && recipients.length > 0 ? { recipients } : {}),
    // Valid for three years: the seeded lists are what the teams may read (an expired consent leaves them).
    validUntil: swedishDateOf(new Date(submittedAt.getTime() + 3 * 365 * DAY_MS)),
  };
}

/**
 * The n-th person of `total`: a test identity number unique among the seeded cases, born 1960–2007
 * and never in 1980, the year bench/lib/referral-body.ts (sections 3 and 4) takes its people from.
 */
function identityNumber(n: number, total: number): string {
  const groups = Math.ceil(total / 20);
  const stride = Math.max(1, Math.floor(17_000 / groups));
  let birth = Date.UTC(1960, 0, 1) + Math.floor(n / 20) * stride * DAY_MS;
  if (birth >= Date.UTC(1980, 0, 1)) birth += 366 * DAY_MS;
  return testIdentityNumber(new Date(birth).toISOString().slice(0, 10), { serial: 980 + (n % 20) });
}

export type SyntheticCase = { record: CaseRecord; referrals: ReferralRecord[] };

type Options = {
  total: number;
  now: Date;
  random: Random;
  personKey: PersonKeyer;
  /** Cases arrive evenly over this many days before `now` (default two years). */
  historyDays?: number;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Screens the case on all its referrals at `at` and routes it; the messages count as delivered. */
function screened(record: CaseRecord, at: number): CaseRecord {
  const decision = screenCase(
    {
      personalIdentityNumber: record.person.personalIdentityNumber,
      municipalityCode: record.person.municipalityCode,
      referrals: record.referrals,
    },
    DEFAULT_RULESET,
    DEFAULT_DEPLOYMENT,
    new Date(at),
  );
  return { ...applyScreening(record, decision, FRONT_DESK), outbox: [] };
}

/**
 * The teams' steps on a case since it was routed: older cases are further along. Some teams decline
 * (the case then goes to the front desk if no team is left), some close with an outcome.
 */
function teamEvents(record: CaseRecord, nowMs: number, random: Random): { event: CaseEvent; at: number }[] {
  const events: { event: CaseEvent; at: number }[] = [];
  for (const assignment of Object.values(record.assignments)) {
    const { team } = assignment;
    let at = Date.parse(assignment.routedAt);
    const step = (days: number) => {
      at = Math.min(nowMs - 60_000, at + 3_600_000 + random() * days * DAY_MS);
      return at;
    };
    const age = (nowMs - at) / DAY_MS;
    if (team !== FRONT_DESK && chance(random, 0.05)) {
      events.push({ event: { type: 'declined', team, reason: 'Utanför vårt uppdrag.' }, at: step(10) });
      continue;
    }
    if (!chance(random, Math.min(0.9, age / 30))) continue;
    events.push({ event: { type: 'accepted', team }, at: step(14) });
    if (!chance(random, Math.min(0.85, age / 90))) continue;
    events.push({ event: { type: 'intervention-started', team }, at: step(30) });
    if (!chance(random, Math.min(0.7, age / 450))) continue;
    events.push({ event: { type: 'closed', team, outcome: pick(random, OUTCOMES) }, at: step(180) });
  }
  return events.sort((a, b) => a.at - b.at);
}

/** One referral as stored: the body as the agency sent it, the identity number normalised. */
function referralOf(
  caseId: string,
  person: Person,
  agency: Agency,
  submittedAt: number,
  random: Random,
): ReferralRecord {
  return {
    referralId: randomUUID(),
    caseId,
    agency,
    submittedAt: iso(submittedAt),
    submittedBy: OFFICERS[agency],
    person,
    consent: consentAt(new Date(submittedAt), random),
    situation: situationFrom(agency, random),
    reason: pick(random, REASONS),
  };
}

/** What screening keeps of a referral (as CaseRepository.acceptReferral stores it on the case). */
const screeningFacts = (referral: ReferralRecord) => ({
  referralId: referral.referralId,
  agency: referral.agency,
  submittedAt: referral.submittedAt,
  situation: referral.situation,
  consent: { recipients: referral.consent.recipients, validUntil: referral.consent.validUntil },
});

/**
 * The n-th synthetic case: one or two referrals (the second joins the open case and is screened
 * again), routed by the ruleset to one to three teams, then whatever its teams did since.
 */
export async function syntheticCase(n: number, options: Options): Promise<SyntheticCase> {
  const { random, now } = options;
  const nowMs = now.getTime();
  const parsed = parsePersonalIdentityNumber(identityNumber(n, options.total), swedishDay(now));
  if (!parsed.ok) throw new Error(`Synthetic identity number ${n} is not valid: ${parsed.reason}`);
  const personalIdentityNumber = parsed.value.normalised;
  const personKey = await options.personKey(personalIdentityNumber);

  for (;;) {
    const caseId = randomUUID();
    const person: Person = {
      personalIdentityNumber,
      givenName: pick(random, GIVEN_NAMES),
      familyName: pick(random, FAMILY_NAMES),
      // A few people live elsewhere: not eligible, so the front desk looks at them.
      municipalityCode: chance(random, 0.93) ? DEFAULT_DEPLOYMENT.municipalityCode : '2281',
      phone: '070-123 45 67',
      preferredLanguage: pick(random, LANGUAGES),
      interpreterNeeded: chance(random, 0.15),
    };
    const firstAt = nowMs - random() * (options.historyDays ?? HISTORY_DAYS) * DAY_MS;
    const firstAgency = pick(random, AGENCIES);
    const referrals = [referralOf(caseId, person, firstAgency, firstAt, random)];
    if (chance(random, 0.25)) {
      const otherAgency = pick(
        random,
        AGENCIES.filter((agency) => agency !== firstAgency),
      );
      const secondAt = Math.min(nowMs - 120_000, firstAt + random() * 60 * DAY_MS);
      referrals.push(referralOf(caseId, person, otherAgency, secondAt, random));
    }

    const [first, ...later] = referrals as [ReferralRecord, ...ReferralRecord[]];
    let record: CaseRecord = screened(
      {
        caseId,
        reference: formatReference(String(now.getUTCFullYear()), n + 1),
        status: 'RECEIVED',
        personKey,
        person,
        referrals: [screeningFacts(first)],
        screening: null,
        screenedReferrals: 0,
        assignments: {},
        outbox: [],
        history: [{ at: first.submittedAt, event: 'received', referralId: first.referralId }],
        createdAt: first.submittedAt,
        updatedAt: first.submittedAt,
        version: 1,
      },
      Date.parse(first.submittedAt) + between(random, 2, 30) * 1000,
    );
    for (const referral of later) {
      const joined: CaseRecord = {
        ...record,
        person: referral.person,
        referrals: [...record.referrals, screeningFacts(referral)],
        history: [
          ...record.history,
          { at: referral.submittedAt, event: 'received', referralId: referral.referralId },
        ],
        updatedAt: referral.submittedAt,
        version: record.version + 1,
      };
      record = screened(joined, Date.parse(referral.submittedAt) + between(random, 2, 30) * 1000);
    }
    // The issue's shape: every case on one to three teams' lists; draw again otherwise.
    if (activeAssignments(record.assignments).length > MAX_TEAMS) continue;

    for (const { event, at } of teamEvents(record, nowMs, random)) {
      try {
        record = applyCaseEvent(record, event, iso(at), FRONT_DESK);
      } catch (error) {
        // The front desk cannot decline a case it is the last team on; such a step is not taken.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    record = { ...record, outbox: [] };
    if (record.status === 'CLOSED') {
      record = { ...record, expiresAt: retainUntil(record.updatedAt, RETENTION_MONTHS) };
    }
    return { record, referrals };
  }
}
