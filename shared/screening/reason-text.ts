import { DEFAULT_RULESET } from './default-ruleset.js';
import type { Ruleset } from './ruleset.js';

/**
 * Every ruleset version a stored decision may name. A decision stores its reasons as codes (and the
 * team a code is about); the words are the ruleset's, rendered when someone reads the decision. The
 * texts of a version never change once it has decided cases: a new wording is a new version, added
 * here beside the old one.
 */
export const RULESETS: ReadonlyMap<string, Ruleset> = new Map([[DEFAULT_RULESET.version, DEFAULT_RULESET]]);

/** A reason as stored: what the rule found, and the team it concerns (consent reasons). */
export type ReasonCode = { code: string; team?: string };
export type ReasonText = { text: string; textSv: string };

/**
 * A stored reason in words, English and Swedish, from the ruleset version that decided it: a target
 * group's own description, or the ruleset's text for the code; with the team it concerns. A code the
 * version does not know (a decision from before it was written down) reads as the code itself.
 */
export function reasonText(reason: ReasonCode, rulesetVersion: string): ReasonText {
  const ruleset = RULESETS.get(rulesetVersion) ?? DEFAULT_RULESET;
  const words = ruleset.targetGroups.find((group) => group.code === reason.code)?.text ??
    ruleset.texts[reason.code] ?? { en: reason.code, sv: reason.code };
  if (!reason.team) return { text: words.en, textSv: words.sv };
  return { text: `${words.en} (${reason.team})`, textSv: `${words.sv} (${reason.team})` };
}
