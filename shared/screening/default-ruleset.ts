import { type Ruleset, rulesetSchema } from './ruleset.js';

/**
 * The default ruleset: the target groups of the Timrå "Matchningsarena" project
 * (../shared/seeds/004_6c4979bce40ed222.txt), as CONTRACT.md states them.
 */
export const DEFAULT_RULESET: Ruleset = rulesetSchema.parse({
  version: 'timra-2026.1',
  eligibility: { minAge: 16, maxAge: 65 },
  targetGroups: [
    {
      code: 'TG1',
      when: {
        all: [
          { field: 'unemployedMonths', op: '>=', value: 12 },
          { field: 'unemploymentInsuranceExhausted', op: '==', value: true },
        ],
      },
      routes: ['employment-service'],
      text: {
        en: 'Unemployed for 12 months or more, and unemployment insurance has run out.',
        sv: 'Arbetslös i minst 12 månader och har utförsäkrats från arbetslöshetsförsäkringen.',
      },
    },
    {
      code: 'TG2',
      when: {
        all: [
          { field: 'jobAndDevelopmentGuarantee', op: '==', value: true },
          { field: 'assignedToComplementaryActor', op: '==', value: false },
        ],
      },
      routes: ['employment-service'],
      text: {
        en: 'In the job and development guarantee, not assigned to a complementary actor.',
        sv: 'Deltar i jobb- och utvecklingsgarantin och är inte anvisad till kompletterande aktör.',
      },
    },
    {
      code: 'TG3',
      when: {
        all: [
          { field: 'unemployedMonths', op: '>=', value: 1 },
          { field: 'disability', op: '==', value: true },
        ],
      },
      routes: ['employment-service'],
      healthRelated: true,
      text: {
        en: 'Unemployed with a disability that reduces work capacity.',
        sv: 'Arbetslös med en funktionsnedsättning som medför nedsatt arbetsförmåga.',
      },
    },
    {
      code: 'TG4',
      // "> 8 months" of financial assistance, Timrå project target group 4.
      when: { field: 'financialAssistanceMonths', op: '>', value: 8 },
      routes: ['labour-market-unit'],
      text: {
        en: 'Has received financial assistance for more than 8 months.',
        sv: 'Har haft ekonomiskt bistånd i mer än 8 månader.',
      },
    },
    {
      code: 'TG5',
      when: {
        any: [
          {
            all: [
              { field: 'sickLeaveMonths', op: '>', value: 12 },
              { field: 'age', op: '>=', value: 16 },
              { field: 'age', op: '<=', value: 65 },
            ],
          },
          {
            all: [
              { field: 'compensation', op: '==', value: 'time-limited-sickness-compensation' },
              { field: 'age', op: '>=', value: 30 },
              { field: 'age', op: '<=', value: 65 },
            ],
          },
          {
            all: [
              { field: 'compensation', op: '==', value: 'activity-compensation' },
              { field: 'age', op: '>=', value: 19 },
              { field: 'age', op: '<=', value: 29 },
            ],
          },
        ],
      },
      routes: ['social-insurance'],
      healthRelated: true,
      text: {
        en: 'On sick leave for more than a year, or with time-limited sickness or activity compensation.',
        sv: 'Sjukskriven i mer än ett år, eller med tidsbegränsad sjukersättning eller aktivitetsersättning.',
      },
    },
  ],
  priority: {
    minTargetGroups: 2,
    minAgencies: 2,
    monthsAtLeast: 24,
    monthFields: ['unemployedMonths', 'financialAssistanceMonths', 'sickLeaveMonths'],
  },
  jointAssessment: { minTargetGroups: 2, minAgencies: 2, route: 'front-desk' },
  workCapacity: { minHoursPerWeek: 10, route: 'partner-programmes' },
  fallbackRoute: 'front-desk',
  texts: {
    'not-resident': {
      en: 'Does not live in the municipality of this front desk.',
      sv: 'Är inte folkbokförd i kommunen.',
    },
    'age-out-of-range': { en: 'Is not between 16 and 65 years old.', sv: 'Är inte mellan 16 och 65 år.' },
    'no-target-group': { en: 'Is in none of the target groups.', sv: 'Tillhör ingen av målgrupperna.' },
    'joint-assessment': {
      en: 'Several target groups or agencies: the front desk makes a joint assessment.',
      sv: 'Flera målgrupper eller myndigheter: gemensam helhetsbedömning i Front Desk.',
    },
    'high-priority': {
      en: 'High priority: several target groups or agencies, or 24 months or more outside work.',
      sv: 'Hög prioritet: flera målgrupper eller myndigheter, eller minst 24 månader utanför arbete.',
    },
    'work-capacity': {
      en: 'Work capacity of at least 10 hours a week: a partner programme may help.',
      sv: 'Arbetsförmåga på minst 10 timmar i veckan: ett partnerprogram kan hjälpa.',
    },
    'consent-not-covering': {
      en: "The client's consent does not cover this team.",
      sv: 'Klientens samtycke omfattar inte detta team.',
    },
    'consent-expired': {
      en: "The client's consent has expired: only the front desk may receive the case.",
      sv: 'Klientens samtycke har gått ut: bara Front Desk får ta emot ärendet.',
    },
    'not-eligible': {
      en: 'Not eligible: a front-desk coordinator looks at the case.',
      sv: 'Uppfyller inte villkoren: en samordnare i Front Desk tittar på ärendet.',
    },
  },
});
