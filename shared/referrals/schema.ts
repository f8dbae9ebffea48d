import * as z from 'zod';
import type { agencySchema } from '../config/deployment.js';
import { parsePersonalIdentityNumber } from '../identity/personal-identity-number.js';
import { swedishDateOf, swedishDay } from '../time.js';

/**
 * The referral as agency systems and the web form send it (CONTRACT.md, POST /referrals).
 * Every object is strict: unknown fields are refused, never silently dropped. The same schemas
 * validate in the handler, in the web form and feed the OpenAPI document.
 */

const months = z.number().int().min(0).max(600);

// Control characters (but tab and line breaks in free text) and lone UTF-16 surrogates are no text a
// person typed: they would be stored as garbage, or refused by DynamoDB as invalid UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS = new Set([0x09, 0x0a, 0x0d]);

function isPlainText(text: string, multiline: boolean): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const control = code <= 0x1f || code === 0x7f;
    if (control && !(multiline && LINE_BREAKS.has(code))) return false;
  }
  return !LONE_SURROGATE.test(text);
}

/**
 * Text a person typed: within `max` characters, no control characters, line breaks only if
 * `multiline`; `required` trims it and refuses it empty.
 */
export const plainText = (max: number, options: { multiline?: boolean; required?: boolean } = {}) =>
  (options.required ? z.string().trim().min(1) : z.string())
    .max(max)
    .refine(
      (text) => isPlainText(text, options.multiline === true),
      options.multiline ? 'must be plain text' : 'must be plain text on one line',
    );

const isoDate = z.iso.date();

const IDENTITY_NUMBER = /^(\d{6}|\d{8})[-+]?\d{4}$/;
export const personalIdentityNumberSchema = z
  .string()
  .regex(IDENTITY_NUMBER, 'must be 10 or 12 digits, as YYMMDD-NNNC or YYYYMMDD-NNNC')
  .superRefine((value, ctx) => {
    if (!IDENTITY_NUMBER.test(value)) return; // already reported by the pattern
    const parsed = parsePersonalIdentityNumber(value, swedishDay(new Date()));
    if (!parsed.ok)
      ctx.addIssue({ code: 'custom', message: `not a valid personal identity number: ${parsed.reason}` });
  })
  .meta({
    description: 'Personnummer or samordningsnummer, 10 or 12 digits, with or without "-" or "+".',
    examples: ['19901211-9948'],
  });

const LANGUAGE_TAG = /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/;
const languageTag = z
  .string()
  .max(35)
  .regex(LANGUAGE_TAG, 'must be a BCP 47 language tag, such as "sv" or "ar"')
  .refine((tag) => {
    if (!LANGUAGE_TAG.test(tag)) return true; // already reported by the pattern
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag, such as "sv" or "ar"');

export const personSchema = z
  .object({
    personalIdentityNumber: personalIdentityNumberSchema,
    givenName: plainText(100, { required: true }),
    familyName: plainText(100, { required: true }),
    phone: plainText(30).optional(),
    email: z.email().max(254).optional(),
    municipalityCode: z.string().regex(/^\d{4}$/, 'must be a four-digit municipality code (kommunkod)'),
    preferredLanguage: languageTag.optional(),
    interpreterNeeded: z.boolean().optional(),
    accessibilityNeeds: plainText(500, { multiline: true }).optional(),
  })
  .strict();

const notInFuture = (date: string) => date <= swedishDateOf(new Date());

export const consentSchema = z
  .object({
    given: z.literal(true, 'the client must have given consent (samtycke) before a referral is made'),
    recordedAt: isoDate.refine(notInFuture, 'must not be in the future'),
    method: z.enum(['written', 'verbal']).optional(),
    recipients: z.array(z.string().min(1).max(40)).max(20).optional().meta({
      description:
        'Teams the client agreed may receive the case; absent means every team. front-desk is always covered.',
    }),
    validUntil: isoDate.optional(),
  })
  .strict()
  .refine((consent) => consent.validUntil === undefined || consent.validUntil > consent.recordedAt, {
    message: 'must be after recordedAt',
    path: ['validUntil'],
  })
  .meta({
    description: "The client's waiver of secrecy between the parties (samtycke), not a GDPR legal basis.",
  });

export const COMPENSATIONS = [
  'none',
  'sickness-benefit',
  'time-limited-sickness-compensation',
  'activity-compensation',
] as const;

export const situationSchema = z
  .object({
    unemployedMonths: months.optional(),
    unemploymentInsuranceExhausted: z.boolean().optional(),
    jobAndDevelopmentGuarantee: z.boolean().optional(),
    assignedToComplementaryActor: z.boolean().optional(),
    financialAssistanceMonths: months.optional(),
    sickLeaveMonths: months.optional(),
    compensation: z.enum(COMPENSATIONS).optional(),
    disability: z.boolean().optional(),
    // Hours with at most two decimals: a number like 5e-324 is no answer, and DynamoDB cannot store it.
    workCapacityHoursPerWeek: z
      .number()
      .min(0)
      .max(40)
      .refine((hours) => /^\d+(\.\d{1,2})?$/.test(String(hours)), 'at most two decimals')
      .optional(),
  })
  .strict();

export const referralInputSchema = z
  .object({
    person: personSchema,
    consent: consentSchema,
    situation: situationSchema,
    reason: plainText(2000, { multiline: true }).optional(),
  })
  .strict();

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

/** An `Idempotency-Key` header: 1–128 printable ASCII characters. */
export const idempotencyKeySchema = z.string().regex(/^[\x20-\x7e]{1,128}$/, '1–128 printable characters');
