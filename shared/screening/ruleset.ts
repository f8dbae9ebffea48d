import { COMPENSATIONS } from '../referrals/plain-text.js';
import type { Situation } from '../referrals/schema.js';
import * as z from '../zod.js';

/**
 * A screening ruleset is data: validated, versioned, and recorded on every decision, so that a
 * decision can be explained later and a municipality can change its rules without changing code.
 */

export const SITUATION_FIELDS = [
  'unemployedMonths',
  'unemploymentInsuranceExhausted',
  'jobAndDevelopmentGuarantee',
  'assignedToComplementaryActor',
  'financialAssistanceMonths',
  'sickLeaveMonths',
  'compensation',
  'disability',
  'workCapacityHoursPerWeek',
] as const satisfies readonly (keyof Situation)[];

/** What a condition may test: the case's merged situation and the person's age on the day of screening. */
const fieldSchema = z.enum([...SITUATION_FIELDS, 'age']);

export type Condition =
  | {
      field: z.infer<typeof fieldSchema>;
      op: '>=' | '>' | '<=' | '<' | '==';
      value: number | boolean | string;
    }
  | { all: Condition[] }
  | { any: Condition[] };

export const conditionSchema: z.ZodMiniType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({
      field: fieldSchema,
      op: z.enum(['>=', '>', '<=', '<', '==']),
      value: z.union([z.number(), z.boolean(), z.enum(COMPENSATIONS)]),
    }),
    z.strictObject({ all: z.array(conditionSchema).check(z.minLength(1)) }),
    z.strictObject({ any: z.array(conditionSchema).check(z.minLength(1)) }),
  ]),
);

const textSchema = z.strictObject({
  en: z.string().check(z.minLength(1)),
  sv: z.string().check(z.minLength(1)),
});
const teamId = z.string().check(z.minLength(1));

export const rulesetSchema = z.strictObject({
  version: z.string().check(z.minLength(1), z.maxLength(64)),
  eligibility: z.strictObject({
    minAge: z.number().check(z.int()),
    maxAge: z.number().check(z.int()),
  }),
  targetGroups: z
    .array(
      z.strictObject({
        code: z.string().check(z.regex(/^[A-Z0-9-]+$/)),
        when: conditionSchema,
        routes: z.array(teamId).check(z.minLength(1)),
        text: textSchema,
        /** Membership reveals health information (disability, sick leave): hidden from restricted teams. */
        healthRelated: z._default(z.boolean(), false),
      }),
    )
    .check(z.minLength(1)),
  priority: z.strictObject({
    minTargetGroups: z.number().check(z.int(), z.minimum(1)),
    minAgencies: z.number().check(z.int(), z.minimum(1)),
    monthsAtLeast: z.number().check(z.int(), z.minimum(0)),
    monthFields: z.array(z.enum(['unemployedMonths', 'financialAssistanceMonths', 'sickLeaveMonths'])),
  }),
  jointAssessment: z.strictObject({
    minTargetGroups: z.number().check(z.int(), z.minimum(1)),
    minAgencies: z.number().check(z.int(), z.minimum(1)),
    route: teamId,
  }),
  workCapacity: z.strictObject({
    minHoursPerWeek: z.number().check(z.minimum(0), z.maximum(40)),
    route: teamId,
  }),
  /** Where a case goes when nothing else may take it: a coordinator looks at it; nothing is dropped. */
  fallbackRoute: teamId,
  texts: z.record(z.string(), textSchema),
});

export type Ruleset = z.infer<typeof rulesetSchema>;

/** Every team a ruleset may route to, for checking it against a deployment's teams. */
export const rulesetTeams = (ruleset: Ruleset): string[] => [
  ...new Set([
    ...ruleset.targetGroups.flatMap((group) => group.routes),
    ruleset.jointAssessment.route,
    ruleset.workCapacity.route,
    ruleset.fallbackRoute,
  ]),
];
