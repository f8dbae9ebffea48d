import { ConflictError } from '../errors.js';
import { swedishDateOf } from '../time.js';
import * as z from '../zod.js';
import type { CaseRecord, FollowUp, Milestone } from './model.js';
import { MILESTONES } from './model.js';

/** POST /cases/{caseId}/follow-ups (CONTRACT.md v1.1, "Statistics"). */
export const followUpSchema = z.strictObject({
  milestone: z.enum(MILESTONES),
  selfSufficient: z.boolean(),
  /** Which of the caller's teams records it; by default the caller's team that holds the case. */
  team: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
});

/** The target group whose 6- and 12-month self-sufficiency the project follows (TG4, the seeds' targets). */
export const FOLLOWED_GROUP = 'TG4';
const MONTHS: Record<Milestone, number> = { '6m': 6, '12m': 12 };

/** When the person's intervention started: the first team to start one (TG4's cohorts are by it). */
export const firstInterventionStart = (teams: Iterable<{ interventionStartedAt?: string }>) =>
  [...teams]
    .map((team) => team.interventionStartedAt)
    .filter((at): at is string => at !== undefined)
    .sort()[0];

const interventionStartedAt = (record: CaseRecord) =>
  firstInterventionStart(Object.values(record.assignments));

/** The Swedish date a milestone falls on: 6 or 12 calendar months after the intervention started. */
export function milestoneDate(startedAt: string, milestone: Milestone): string {
  const [year, month, day] = swedishDateOf(new Date(startedAt)).split('-').map(Number) as [
    number,
    number,
    number,
  ];
  const target = new Date(Date.UTC(year, month - 1 + MONTHS[milestone], 1));
  // The 31st of a shorter month falls on its last day.
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The next follow-up a TG4 case owes, with the date it falls due, or undefined. */
export function nextFollowUp(record: CaseRecord): { milestone: Milestone; dueOn: string } | undefined {
  if (!record.screening?.targetGroups.includes(FOLLOWED_GROUP)) return undefined;
  const started = interventionStartedAt(record);
  if (!started) return undefined;
  const done = new Set((record.followUps ?? []).map((followUp) => followUp.milestone));
  const milestone = MILESTONES.find((candidate) => !done.has(candidate));
  return milestone && { milestone, dueOn: milestoneDate(started, milestone) };
}

/**
 * A follow-up recorded on the case, or why not (409): the case is not in TG4, no intervention has
 * started, the milestone has not come yet, or another answer is already recorded for it. Recording
 * the same answer again changes nothing (a retry).
 */
export function recordFollowUp(
  record: CaseRecord,
  input: { milestone: Milestone; selfSufficient: boolean },
  team: string,
  now: Date,
): { next: CaseRecord | undefined; followUp: FollowUp } {
  if (!record.screening?.targetGroups.includes(FOLLOWED_GROUP))
    throw new ConflictError(`Follow-ups are recorded for cases in ${FOLLOWED_GROUP}.`);
  const started = interventionStartedAt(record);
  if (!started) throw new ConflictError('No intervention has started on the case: nothing to follow up yet.');
  const dueOn = milestoneDate(started, input.milestone);
  if (swedishDateOf(now) < dueOn)
    throw new ConflictError(`The ${input.milestone} follow-up is due on ${dueOn}, not before.`);
  const existing = record.followUps?.find((followUp) => followUp.milestone === input.milestone);
  if (existing) {
    if (existing.selfSufficient === input.selfSufficient) return { next: undefined, followUp: existing };
    throw new ConflictError(`The ${input.milestone} follow-up is already recorded.`);
  }
  const at = now.toISOString();
  const followUp: FollowUp = {
    milestone: input.milestone,
    selfSufficient: input.selfSufficient,
    recordedAt: at,
    team,
  };
  return {
    next: {
      ...record,
      followUps: [...(record.followUps ?? []), followUp],
      updatedAt: at,
      version: record.version + 1,
    },
    followUp,
  };
}
