import type { Ruleset } from '../screening/ruleset.js';

/**
 * What each party may see of a case's screening (CONTRACT.md v1.1, "What each party sees"). A
 * health-related target group (TG3: disability, TG5: sick leave in the default ruleset) is health
 * information: a restricted team (a non-profit partner) never learns of it, and a referring agency
 * only when its own referral states the facts behind it.
 */
export const healthGroups = (ruleset: Ruleset): ReadonlySet<string> =>
  new Set(ruleset.targetGroups.filter((group) => group.healthRelated).map((group) => group.code));

/** Target groups a restricted team may see: membership of TG3 or TG5 would tell of disability or sick leave. */
export function visibleTargetGroups(
  groups: readonly string[],
  restricted: boolean,
  ruleset: Ruleset,
): string[] {
  if (!restricted) return [...groups];
  const hidden = healthGroups(ruleset);
  return groups.filter((group) => !hidden.has(group));
}

/** Which teams see only the minimum, by the deployment's configuration, and what the ruleset calls health. */
export type MessagePolicy = { restrictedTeams: readonly string[]; ruleset: Ruleset };

/** The target groups a team's queue message may carry. */
export const messageTargetGroups = (groups: readonly string[], team: string, policy?: MessagePolicy) =>
  policy ? visibleTargetGroups(groups, policy.restrictedTeams.includes(team), policy.ruleset) : [...groups];
