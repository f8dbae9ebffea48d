import type { Series } from './contributions.js';
import type { Unit } from './suppression.js';

/** The dimensions a figure may be grouped or filtered by (CONTRACT.md v1.1, "Statistics"). */
export const DIMENSIONS = ['targetGroup', 'gender', 'ageBand', 'agency', 'team', 'outcome'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const STEPS = ['routed', 'accepted', 'intervention-started', 'closed'] as const;
export type Step = (typeof STEPS)[number];

/** How an indicator's value is made from its counters. */
export type Kind =
  | { kind: 'count'; series: Series }
  /** Open cases at the end of each period: the running sum of the `active` counters. */
  | { kind: 'gauge'; series: 'active' }
  /** Percent of the counted entries whose extra field is one of `hits`; `n` is every entry. */
  | { kind: 'share'; series: Series; hits: readonly string[] }
  /** Median days over a day histogram (the extra field is the number of days). */
  | { kind: 'median'; series: Record<Step, Series> };

type Text = { sv: string; en: string };

export type Indicator = Kind & {
  id: string;
  unit: Unit;
  name: Text;
  definition: Text;
  dimensions: readonly Dimension[];
  steps?: readonly Step[];
  /** The seeds' targets for the indicator, in its unit. */
  targets?: readonly { targetGroup: string; value: number; label: Text }[];
};

const CASE_DIMENSIONS = ['targetGroup', 'gender', 'ageBand', 'agency', 'team'] as const;

/**
 * The indicators the steering group follows, from the project's and the IOP agreements' own
 * measures: participants by target group and gender, lead times, outcomes and TG4's and TG5's
 * targets. Each is defined once here; the API, the web page and `stats:verify` all read this list.
 */
export const INDICATORS: readonly Indicator[] = [
  {
    id: 'referrals-received',
    kind: 'count',
    series: 'received',
    unit: 'count',
    name: { sv: 'Mottagna remisser', en: 'Referrals received' },
    definition: {
      sv: 'Remisser som kommit in under perioden (svensk tid), per remitterande myndighet.',
      en: 'Referrals that came in during the period (Swedish time), by referring agency.',
    },
    dimensions: CASE_DIMENSIONS,
  },
  {
    id: 'participants-new',
    kind: 'count',
    series: 'new',
    unit: 'count',
    name: { sv: 'Nya deltagare', en: 'New participants' },
    definition: {
      sv: 'Ärenden som öppnats under perioden: en person räknas en gång, hur många remisser som än kommer.',
      en: 'Cases opened during the period: a person counts once, however many referrals come in.',
    },
    dimensions: CASE_DIMENSIONS,
  },
  {
    id: 'participants-active',
    kind: 'gauge',
    series: 'active',
    unit: 'count',
    name: { sv: 'Aktiva deltagare', en: 'Active participants' },
    definition: {
      sv: 'Öppna ärenden vid periodens slut.',
      en: 'Open cases at the end of the period.',
    },
    dimensions: CASE_DIMENSIONS,
  },
  {
    id: 'lead-time',
    kind: 'median',
    series: {
      routed: 'lt-routed',
      accepted: 'lt-accepted',
      'intervention-started': 'lt-started',
      closed: 'lt-closed',
    },
    unit: 'days',
    name: { sv: 'Ledtid', en: 'Lead time' },
    definition: {
      sv:
        'Median i hela dagar från föregående steg: mottagen → fördelad (ärendet), fördelad → accepterad, ' +
        'accepterad → insats påbörjad och insats påbörjad → avslutad (per team). Perioden är månaden då steget togs.',
      en:
        'Median whole days from the previous step: received → routed (the case), routed → accepted, ' +
        'accepted → intervention started and intervention started → closed (per team). The period is the month the step was taken.',
    },
    dimensions: CASE_DIMENSIONS,
    steps: ['routed', 'accepted', 'intervention-started', 'closed'],
  },
  {
    id: 'outcomes',
    kind: 'count',
    series: 'outcome',
    unit: 'count',
    name: { sv: 'Utfall', en: 'Outcomes' },
    definition: {
      sv: 'Teamens avslutade uppdrag per utfall, i månaden de avslutades.',
      en: 'Team assignments closed, by outcome, in the month they closed.',
    },
    dimensions: [...CASE_DIMENSIONS, 'outcome'],
  },
  {
    id: 'work-or-studies-share',
    kind: 'share',
    series: 'closed',
    hits: ['hit'],
    unit: 'percent',
    name: { sv: 'Andel till arbete eller studier', en: 'Share into work or studies' },
    definition: {
      sv: 'Andel av ärendena som avslutats under perioden där något team angett utfallet arbete eller studier.',
      en: 'Share of the cases closed in the period where a team recorded an employment or studies outcome.',
    },
    dimensions: CASE_DIMENSIONS,
    targets: [
      { targetGroup: 'TG5', value: 10, label: { sv: 'TG5 år 1: 1 av 10', en: 'TG5 year 1: 1 in 10' } },
      { targetGroup: 'TG5', value: 30, label: { sv: 'TG5 år 2: 3 av 10', en: 'TG5 year 2: 3 in 10' } },
      { targetGroup: 'TG5', value: 50, label: { sv: 'TG5 år 3: 5 av 10', en: 'TG5 year 3: 5 in 10' } },
    ],
  },
  {
    id: 'declined-share',
    kind: 'share',
    series: 'decision',
    hits: ['declined'],
    unit: 'percent',
    name: { sv: 'Andel avböjda', en: 'Declined share' },
    definition: {
      sv: 'Av teamens beslut under perioden (accepterat eller avböjt ett fördelat ärende): andelen avböjda.',
      en: "Of the teams' decisions in the period (accepting or declining a routed case): the share declined.",
    },
    dimensions: CASE_DIMENSIONS,
  },
  {
    id: 'self-sufficient-6m',
    kind: 'share',
    series: 'ss-6m',
    hits: ['true'],
    unit: 'percent',
    name: { sv: 'Självförsörjande efter 6 månader (TG4)', en: 'Self-sufficient after 6 months (TG4)' },
    definition: {
      sv:
        'TG4-deltagare efter den månad deras insats påbörjades: andelen som var självförsörjande vid ' +
        'uppföljningen efter 6 månader, av de uppföljningar som gjorts.',
      en:
        'TG4 participants by the month their intervention started: the share self-sufficient at the ' +
        '6-month follow-up, of the follow-ups recorded.',
    },
    dimensions: CASE_DIMENSIONS,
    targets: [{ targetGroup: 'TG4', value: 5, label: { sv: 'Mål: 5 %', en: 'Target: 5 %' } }],
  },
  {
    id: 'self-sufficient-12m',
    kind: 'share',
    series: 'ss-12m',
    hits: ['true'],
    unit: 'percent',
    name: { sv: 'Självförsörjande efter 12 månader (TG4)', en: 'Self-sufficient after 12 months (TG4)' },
    definition: {
      sv:
        'TG4-deltagare efter den månad deras insats påbörjades: andelen som var självförsörjande vid ' +
        'uppföljningen efter 12 månader, av de uppföljningar som gjorts.',
      en:
        'TG4 participants by the month their intervention started: the share self-sufficient at the ' +
        '12-month follow-up, of the follow-ups recorded.',
    },
    dimensions: CASE_DIMENSIONS,
    targets: [
      { targetGroup: 'TG4', value: 8, label: { sv: 'Mål: 5 % + 3 %', en: 'Target: 5 % + 3 %' } },
      {
        targetGroup: 'TG4',
        value: 15,
        label: { sv: 'Vid projektets slut: 15 %', en: "At the project's end: 15 %" },
      },
    ],
  },
];

export const indicatorById = (id: string) => INDICATORS.find((indicator) => indicator.id === id);

/** What GET /stats/indicators answers: the catalogue without the storage details. */
export const indicatorCatalogue = () => ({
  indicators: INDICATORS.map(({ id, unit, name, definition, dimensions, steps, targets }) => ({
    id,
    name,
    definition,
    unit,
    dimensions: [...dimensions],
    ...(steps ? { steps: [...steps] } : {}),
    ...(targets ? { targets: targets.map((target) => ({ ...target })) } : {}),
  })),
});
