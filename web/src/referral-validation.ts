/**
 * The referral form's model: the fields in form order, the body it sends, and its validation — the
 * server's own zod schemas (shared/referrals/schema.ts) plus the per-agency required fields and the
 * consent recipients, as submit-referral checks them. Errors are (field, kind) pairs; the page turns
 * them into words from the message files. No DOM here, so the unit tests can run it.
 */
import type { Agency } from '../../shared/config/deployment.js';
import { ageOn, parsePersonalIdentityNumber } from '../../shared/identity/personal-identity-number.js';
import { COMPENSATIONS } from '../../shared/referrals/plain-text.js';
import {
  personalIdentityNumberSchema,
  REQUIRED_SITUATION_FIELDS,
  referralInputSchema,
} from '../../shared/referrals/schema.js';
import { DEFAULT_RULESET } from '../../shared/screening/default-ruleset.js';
import { swedishDay } from '../../shared/time.js';

type FieldType =
  | 'identity'
  | 'text'
  | 'textarea'
  | 'checkbox'
  | 'date'
  | 'radios'
  | 'yesNo'
  | 'checkboxes'
  | 'months'
  | 'hours';

/** Every field of the form, in form order, with its path in the body (CONTRACT.md, POST /referrals). */
export const FIELDS = {
  personalIdentityNumber: { path: 'person.personalIdentityNumber', type: 'identity' },
  givenName: { path: 'person.givenName', type: 'text' },
  familyName: { path: 'person.familyName', type: 'text' },
  municipalityCode: { path: 'person.municipalityCode', type: 'text' },
  phone: { path: 'person.phone', type: 'text' },
  email: { path: 'person.email', type: 'text' },
  preferredLanguage: { path: 'person.preferredLanguage', type: 'text' },
  interpreterNeeded: { path: 'person.interpreterNeeded', type: 'checkbox' },
  accessibilityNeeds: { path: 'person.accessibilityNeeds', type: 'textarea' },
  given: { path: 'consent.given', type: 'checkbox' },
  recordedAt: { path: 'consent.recordedAt', type: 'date' },
  method: { path: 'consent.method', type: 'radios' },
  recipients: { path: 'consent.recipients', type: 'checkboxes' },
  validUntil: { path: 'consent.validUntil', type: 'date' },
  unemployedMonths: { path: 'situation.unemployedMonths', type: 'months' },
  unemploymentInsuranceExhausted: { path: 'situation.unemploymentInsuranceExhausted', type: 'yesNo' },
  jobAndDevelopmentGuarantee: { path: 'situation.jobAndDevelopmentGuarantee', type: 'yesNo' },
  assignedToComplementaryActor: { path: 'situation.assignedToComplementaryActor', type: 'yesNo' },
  financialAssistanceMonths: { path: 'situation.financialAssistanceMonths', type: 'months' },
  sickLeaveMonths: { path: 'situation.sickLeaveMonths', type: 'months' },
  compensation: { path: 'situation.compensation', type: 'radios' },
  disability: { path: 'situation.disability', type: 'yesNo' },
  workCapacityHoursPerWeek: { path: 'situation.workCapacityHoursPerWeek', type: 'hours' },
  reason: { path: 'reason', type: 'textarea' },
} as const satisfies Record<string, { path: string; type: FieldType }>;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
export const SITUATION_FIELDS = FIELD_NAMES.filter((name) => FIELDS[name].path.startsWith('situation.'));
export { COMPENSATIONS };
export const CONSENT_METHODS = ['written', 'verbal'] as const;
export const TEXT_LIMITS = { accessibilityNeeds: 500, reason: 2000 } as const;

/** What the form holds: text as typed, radios as their value ('' when none), checkboxes as booleans. */
export type FormValues = Record<FieldName, string | boolean | string[]>;

export type FieldError = { field: FieldName; kind: string };

/**
 * A fresh form. The consent date is left empty on purpose: it records a legally significant event
 * (the day the person waived secrecy), so the officer types it rather than accepting today's date.
 */
export function emptyValues(options: { municipalityCode: string; recipients: string[] }): FormValues {
  const values = Object.fromEntries(FIELD_NAMES.map((name) => [name, ''])) as FormValues;
  values.interpreterNeeded = false;
  values.given = false;
  values.municipalityCode = options.municipalityCode;
  values.recipients = [...options.recipients];
  return values;
}

/** The usual ways of writing an identity number: spaces and a typographic dash are let through. */
export const cleanIdentityNumber = (raw: string) =>
  raw.replace(/\s+/g, '').replace(/[\u2010-\u2015\u2212]/g, '-');

/** A number as typed (a Swedish decimal comma too); what is not a number is sent as typed, and refused. */
function numberOf(raw: string): number | string | undefined {
  const text = raw.trim().replace(/\s+/g, '');
  if (text === '') return undefined;
  const normal = text.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : text;
}

const optionalText = (raw: unknown) => {
  const text = typeof raw === 'string' ? raw.trim() : '';
  return text === '' ? undefined : text;
};

const yesNo = (raw: unknown) => (raw === 'yes' ? true : raw === 'no' ? false : undefined);

/**
 * The body the form sends. `recipients` is left out when every team is ticked (absent means every
 * team); `front-desk` is never listed, as it is always covered.
 */
export function toReferralBody(
  values: FormValues,
  allRecipients: readonly string[],
): Record<string, unknown> {
  const value = (name: FieldName) => values[name];
  const person: Record<string, unknown> = {
    personalIdentityNumber: optionalText(cleanIdentityNumber(String(value('personalIdentityNumber')))),
    givenName:
      typeof value('givenName') === 'string' && value('givenName') !== '' ? value('givenName') : undefined,
    familyName:
      typeof value('familyName') === 'string' && value('familyName') !== '' ? value('familyName') : undefined,
    municipalityCode: optionalText(value('municipalityCode')),
    phone: optionalText(value('phone')),
    email: optionalText(value('email')),
    preferredLanguage: optionalText(value('preferredLanguage')),
    interpreterNeeded: value('interpreterNeeded') === true ? true : undefined,
    accessibilityNeeds: optionalText(value('accessibilityNeeds')),
  };
  const ticked = Array.isArray(value('recipients')) ? (value('recipients') as string[]) : [];
  const everyone = allRecipients.every((team) => ticked.includes(team));
  const consent: Record<string, unknown> = {
    given: value('given') === true ? true : undefined,
    recordedAt: optionalText(value('recordedAt')),
    method: optionalText(value('method')),
    recipients: everyone ? undefined : allRecipients.filter((team) => ticked.includes(team)),
    validUntil: optionalText(value('validUntil')),
  };
  const situation: Record<string, unknown> = {};
  for (const name of SITUATION_FIELDS) {
    const key = FIELDS[name].path.slice('situation.'.length);
    const type: FieldType = FIELDS[name].type;
    const raw = String(value(name));
    situation[key] =
      type === 'yesNo'
        ? yesNo(raw)
        : type === 'months' || type === 'hours'
          ? numberOf(raw)
          : optionalText(raw);
  }
  const drop = (object: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(object).filter(([, entry]) => entry !== undefined));
  return drop({
    person: drop(person),
    consent: drop(consent),
    situation: drop(situation),
    reason: optionalText(value('reason')),
  });
}

/** The field a body path belongs to (`consent.recipients.2` → recipients), if any. */
export function fieldOfPath(path: string): FieldName | undefined {
  return FIELD_NAMES.find((name) => path === FIELDS[name].path || path.startsWith(`${FIELDS[name].path}.`));
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node = body;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** Why an identity number is refused, as a message kind. */
export function identityNumberKind(raw: string, today: Date = new Date()): string | undefined {
  const value = cleanIdentityNumber(raw);
  if (value === '') return 'required';
  if (personalIdentityNumberSchema.safeParse(value).success) return undefined;
  const parsed = parsePersonalIdentityNumber(value, swedishDay(today));
  if (parsed.ok) return 'format';
  if (parsed.reason.includes('check digit')) return 'checkDigit';
  if (parsed.reason.includes('not a valid date')) return 'date';
  if (parsed.reason.includes('in the future')) return 'future';
  if (parsed.reason.includes('"+"')) return 'plus';
  if (parsed.reason.includes('serial number 000')) return 'serial';
  return 'format';
}

/** What the form warns of before sending a valid number: the screening would find it out only afterwards. */
export type IdentityWarning = { kind: 'plus' } | { kind: 'age'; age: number };

/**
 * Warnings for a valid identity number: a `+` (the person is 100 or older, more often a typo for `-`),
 * and an age outside the ruleset's eligibility (16–65), which makes the person not eligible.
 */
export function identityNumberWarnings(raw: string, today: Date = new Date()): IdentityWarning[] {
  const value = cleanIdentityNumber(raw);
  if (identityNumberKind(value, today) !== undefined) return [];
  const parsed = parsePersonalIdentityNumber(value, swedishDay(today));
  if (!parsed.ok) return [];
  const warnings: IdentityWarning[] = [];
  if (value.includes('+')) warnings.push({ kind: 'plus' });
  const age = ageOn(parsed.value.birthDate, swedishDay(today));
  const { minAge, maxAge } = DEFAULT_RULESET.eligibility;
  if (age < minAge || age > maxAge) warnings.push({ kind: 'age', age });
  return warnings;
}

type Issue = { code: string; path: PropertyKey[]; origin?: string };

function kindOf(field: FieldName, issue: Issue, body: unknown): string {
  const value = valueAt(body, issue.path);
  if (field === 'given') return 'required';
  if (value === undefined) return 'required';
  if (field === 'personalIdentityNumber') return identityNumberKind(String(value)) ?? 'invalid';
  if (issue.code === 'too_small' && issue.origin === 'string') return 'required';
  if (issue.code === 'too_big' && issue.origin === 'string') return 'tooLong';
  if (field === 'recordedAt' && issue.code === 'custom') return 'future';
  if (field === 'validUntil' && issue.code === 'custom') return 'beforeRecorded';
  return 'invalid';
}

const byFormOrder = (a: FieldError, b: FieldError) =>
  FIELD_NAMES.indexOf(a.field) - FIELD_NAMES.indexOf(b.field);

/**
 * Validates a body as the server will: the same schemas, the agency's required situation fields and
 * the deployment's teams as recipients. One error per field, in form order.
 */
export function validateReferralBody(body: unknown, agency: Agency, teams: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: FieldName, kind: string) => {
    if (!errors.some((error) => error.field === field)) errors.push({ field, kind });
  };
  const parsed = referralInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(issue.path.map(String).join('.'));
      if (field) add(field, kindOf(field, issue as Issue, body));
    }
  }
  for (const key of REQUIRED_SITUATION_FIELDS[agency]) {
    if (valueAt(body, ['situation', key]) === undefined) add(key, 'required');
  }
  const recipients = valueAt(body, ['consent', 'recipients']);
  if (Array.isArray(recipients) && recipients.some((team) => !teams.includes(String(team)))) {
    add('recipients', 'invalid');
  }
  return errors.sort(byFormOrder);
}

/**
 * The server's field errors (problem+json `errors[]`) as form errors: the field each path names, with
 * the kind the form's own check finds for it, or `required`/`invalid` from the server's words.
 * Paths that name no field (a header, the body as a whole) come back as `general`.
 */
export function serverErrors(
  problems: readonly { path: string; message: string }[],
  clientErrors: readonly FieldError[],
): { fields: FieldError[]; general: string[] } {
  const fields: FieldError[] = [];
  const general: string[] = [];
  for (const problem of problems) {
    const field = fieldOfPath(problem.path);
    if (!field) {
      general.push(problem.path);
      continue;
    }
    if (fields.some((error) => error.field === field)) continue;
    const known = clientErrors.find((error) => error.field === field);
    fields.push({
      field,
      kind: known?.kind ?? (/required/i.test(problem.message) ? 'required' : 'invalid'),
    });
  }
  return { fields: fields.sort(byFormOrder), general };
}

/** Which situation fields the agency must state, for the form to show them first and not as optional. */
export const requiredSituationFields = (agency: Agency): readonly FieldName[] =>
  REQUIRED_SITUATION_FIELDS[agency];
