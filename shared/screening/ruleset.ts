import * as z from 'zod';
import { COMPENSATIONS, type Situation } from '../referrals/schema.js';

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

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .object({
        field: fieldSchema,
        op: z.enum(['>=', '>', '<=', '<', '==']),
        value: z.union([z.number(), z.boolean(), z.enum(COMPENSATIONS)]),
      })
      .strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
  ]),
);

const textSchema = z.object({ en: z.string().min(1), sv: z.string().min(1) }).strict();
const teamId = z.string().min(1);

export const rulesetSchema = z
  .object({
    version: z.string().min(1).max(64),
    eligibility: z
      .object({
        minAge: z.number().int(),
        maxAge: z.number().int(),
      })
      .strict(),
    targetGroups: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Z0-9-]+$/),
            when: conditionSchema,
            routes: z.array(teamId).min(1),
            text: textSchema,
            /** Membership reveals health information (disability, sick leave): hidden from restricted teams. */
            healthRelated: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1),
    priority: z
      .object({
        minTargetGroups: z.number().int().min(1),
        minAgencies: z.number().int().min(1),
        monthsAtLeast: z.number().int().min(0),
        monthFields: z.array(z.enum(['unemployedMonths', 'financialAssistanceMonths', 'sickLeaveMonths'])),
      })
      .strict(),
    jointAssessment: z
      .object({
        minTargetGroups: z.number().int().min(1),
        minAgencies: z.number().int().min(1),
        route: teamId,
      })
      .strict(),
    workCapacity: z.object({ minHoursPerWeek: z.number().min(0).max(40), route: teamId }).strict(),
    /** Where a case goes when nothing else may take it: a coordinator looks at it; nothing is dropped. */
    fallbackRoute: teamId,
    texts: z.record(z.string(), textSchema),
  })
  .strict();

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
