import type { agencySchema } from '../config/deployment.js';
import { parsePersonalIdentityNumber } from '../identity/personal-identity-number.js';
import { swedishDateOf, swedishDay } from '../time.js';
import * as z from '../zod.js';
import { COMPENSATIONS, plainText } from './plain-text.js';

/**
 * The referral as agency systems and the web form send it (CONTRACT.md, POST /referrals).
 * Every object is strict: unknown fields are refused, never silently dropped. The same schemas
 * validate in the handler, in the web form and feed the OpenAPI document.
 */

const months = z.number().check(z.int(), z.minimum(0), z.maximum(600));

const isoDate = z.iso.date();

const IDENTITY_NUMBER = /^(\d{6}|\d{8})[-+]?\d{4}$/;
export const personalIdentityNumberSchema = z.withMeta(
  z.string().check(
    z.regex(IDENTITY_NUMBER, 'must be 10 or 12 digits, as YYMMDD-NNNC or YYYYMMDD-NNNC'),
    z.superRefine((value, ctx) => {
      if (!IDENTITY_NUMBER.test(value)) return; // already reported by the pattern
      const parsed = parsePersonalIdentityNumber(value, swedishDay(new Date()));
      if (!parsed.ok)
        ctx.addIssue({ code: 'custom', message: `not a valid personal identity number: ${parsed.reason}` });
    }),
  ),
  {
    description: 'Personnummer or samordningsnummer, 10 or 12 digits, with or without "-" or "+".',
    examples: ['19901211-9948'],
  },
);

const LANGUAGE_TAG = /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/;
const languageTag = z.string().check(
  z.maxLength(35),
  z.regex(LANGUAGE_TAG, 'must be a BCP 47 language tag, such as "sv" or "ar"'),
  z.refine((tag) => {
    if (!LANGUAGE_TAG.test(tag)) return true; // already reported by the pattern
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag, such as "sv" or "ar"'),
);

export const personSchema = z.strictObject({
  personalIdentityNumber: personalIdentityNumberSchema,
  givenName: plainText(100, { required: true }),
  familyName: plainText(100, { required: true }),
  phone: z.optional(plainText(30)),
  email: z.optional(z.email().check(z.maxLength(254))),
  municipalityCode: z
    .string()
    .check(z.regex(/^\d{4}$/, 'must be a four-digit municipality code (kommunkod)')),
  preferredLanguage: z.optional(languageTag),
  interpreterNeeded: z.optional(z.boolean()),
  accessibilityNeeds: z.optional(plainText(500, { multiline: true })),
});

const notInFuture = (date: string) => date <= swedishDateOf(new Date());

export const consentSchema = z.withMeta(
  z
    .strictObject({
      given: z.literal(true, 'the client must have given consent (samtycke) before a referral is made'),
      recordedAt: isoDate.check(z.refine(notInFuture, 'must not be in the future')),
      method: z.optional(z.enum(['written', 'verbal'])),
      recipients: z.withMeta(
        z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.maxLength(20))),
        {
          description:
            'Teams the client agreed may receive the case; absent means every team. front-desk is always covered.',
        },
      ),
      validUntil: z.optional(isoDate),
    })
    .check(
      z.refine((consent) => consent.validUntil === undefined || consent.validUntil > consent.recordedAt, {
        message: 'must be after recordedAt',
        path: ['validUntil'],
      }),
    ),
  { description: "The client's waiver of secrecy between the parties (samtycke), not a GDPR legal basis." },
);

export const situationSchema = z.strictObject({
  unemployedMonths: z.optional(months),
  unemploymentInsuranceExhausted: z.optional(z.boolean()),
  jobAndDevelopmentGuarantee: z.optional(z.boolean()),
  assignedToComplementaryActor: z.optional(z.boolean()),
  financialAssistanceMonths: z.optional(months),
  sickLeaveMonths: z.optional(months),
  compensation: z.optional(z.enum(COMPENSATIONS)),
  disability: z.optional(z.boolean()),
  // Hours with at most two decimals: a number like 5e-324 is no answer, and DynamoDB cannot store it.
  workCapacityHoursPerWeek: z.optional(
    z.number().check(
      z.minimum(0),
      z.maximum(40),
      z.refine((hours) => /^\d+(\.\d{1,2})?$/.test(String(hours)), 'at most two decimals'),
    ),
  ),
});

export const referralInputSchema = z.strictObject({
  person: personSchema,
  consent: consentSchema,
  situation: situationSchema,
  reason: z.optional(plainText(2000, { multiline: true })),
});

export type ReferralInput = z.infer<typeof referralInputSchema>;
export type Situation = z.infer<typeof situationSchema>;
export type Consent = z.infer<typeof consentSchema>;
export type Person = z.infer<typeof personSchema>;

/** Fields each referring agency knows and must state (CONTRACT.md). */
export const REQUIRED_SITUATION_FIELDS = {
  municipality: ['financialAssistanceMonths'],
  'employment-service': ['unemployedMonths', 'jobAndDevelopmentGuarantee'],
  'social-insurance': ['sickLeaveMonths', 'compensation'],
} as const satisfies Record<z.infer<typeof agencySchema>, readonly (keyof Situation)[]>;
