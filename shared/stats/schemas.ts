import { MILESTONES } from '../cases/model.js';
import * as z from '../zod.js';
import { DIMENSIONS, STEPS } from './indicators.js';
import { INTERVALS } from './query.js';

/** The answers of the statistics routes, for the OpenAPI document and the tests (CONTRACT.md v1.1). */
const figure = {
  value: z.withMeta(z.nullable(z.number()), {
    description: 'Null when suppressed (and for a share or median with n 0).',
  }),
  n: z.withMeta(z.nullable(z.number().check(z.int())), {
    description: 'How many cases (or measurements) the value rests on.',
  }),
  suppressed: z.withMeta(z.boolean(), {
    description: 'A small number, or one that would reveal a small number.',
  }),
};
/** Beside a lead time's median, when it is shown. */
const spread = {
  p25: z.optional(z.number()),
  p75: z.optional(z.number()),
  within30: z.withMeta(z.optional(z.number()), { description: 'Percent of measurements within 30 days.' }),
  within90: z.optional(z.number()),
  within180: z.optional(z.number()),
};

export const statsCellSchema = z.withMeta(
  z.object({
    period: z.withMeta(z.string(), {
      description: '2026-11, 2026-Q4, 2026, or from..to for interval total.',
    }),
    ...Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, z.optional(z.string())])),
    ...figure,
    ...spread,
  }),
  { description: 'One figure: a period and one value of each grouped dimension.' },
);

export const statsAnswerSchema = z.object({
  indicator: z.string(),
  unit: z.enum(['count', 'percent', 'days']),
  from: z.string(),
  to: z.string(),
  interval: z.enum(INTERVALS),
  groupBy: z.array(z.enum(DIMENSIONS)),
  step: z.optional(z.enum(STEPS)),
  filters: z.withMeta(z.record(z.string(), z.string()), {
    description: 'The dimension filters applied (a team’s own team included).',
  }),
  suppression: z.object({ threshold: z.number().check(z.int(), z.minimum(3)) }),
  cells: z.array(statsCellSchema),
  totals: z.array(z.object({ period: z.string(), ...figure, ...spread })),
  dataAsOf: z.string(),
});

const text = z.object({ sv: z.string(), en: z.string() });
export const indicatorCatalogueSchema = z.object({
  indicators: z.array(
    z.object({
      id: z.string(),
      name: text,
      definition: text,
      unit: z.enum(['count', 'percent', 'days']),
      dimensions: z.array(z.enum(DIMENSIONS)),
      steps: z.optional(z.array(z.enum(STEPS))),
      targets: z.withMeta(
        z.optional(z.array(z.object({ targetGroup: z.string(), value: z.number(), label: text }))),
        { description: 'The seeds’ targets, in the indicator’s unit.' },
      ),
    }),
  ),
});

export const equityAnswerSchema = z.object({
  from: z.string(),
  to: z.string(),
  team: z.optional(z.string()),
  suppression: z.object({ threshold: z.number().check(z.int(), z.minimum(3)) }),
  rows: z.array(
    z.object({
      measure: z.enum([
        'eligible-share',
        'high-priority-share',
        'days-to-accepted',
        'declined-share',
        'work-or-studies-share',
      ]),
      unit: z.enum(['percent', 'days']),
      dimension: z.enum(['gender', 'ageBand']),
      rulesetVersion: z.string(),
      groups: z.array(z.object({ group: z.string(), ...figure })),
      gap: z.withMeta(z.nullable(z.number()), {
        description: 'Women minus men; for age bands the highest minus the lowest shown value.',
      }),
      ratio: z.withMeta(z.nullable(z.number()), {
        description: 'Women over men; for age bands highest over lowest.',
      }),
      suppressed: z.boolean(),
    }),
  ),
  dataAsOf: z.string(),
});

export const followUpResultSchema = z.object({
  caseId: z.string(),
  reference: z.string(),
  milestone: z.enum(MILESTONES),
  selfSufficient: z.boolean(),
  recordedAt: z.string(),
  team: z.string(),
});
