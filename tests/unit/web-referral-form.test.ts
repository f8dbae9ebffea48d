import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WITHDRAWAL_REASONS } from '../../shared/cases/model.js';
import { caseViewSchema } from '../../shared/cases/schemas.js';
import { type Agency, DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { ValidationError } from '../../shared/errors.js';
import { validateReferral } from '../../shared/referrals/submit-referral.js';
import { caseStatusSchema, historyEventSchema } from '../../shared/referrals/views.js';
import { swedishDateOf } from '../../shared/time.js';
import en from '../../web/messages/en.json' with { type: 'json' };
import sv from '../../web/messages/sv.json' with { type: 'json' };
import {
  emptyValues,
  FIELD_NAMES,
  type FormValues,
  fieldOfPath,
  identityNumberKind,
  identityNumberWarnings,
  serverErrors,
  toReferralBody,
  validateReferralBody,
} from '../../web/src/referral-validation.js';
import { testIdentityNumber, uniqueIdentityNumber } from '../helpers/identity-numbers.js';

const teams = DEFAULT_DEPLOYMENT.teams;
const recipients = teams.filter((team) => team !== 'front-desk');

/** A filled-in form as an officer of the agency leaves it, with changes. */
function form(agency: Agency, changes: Partial<FormValues> = {}): FormValues {
  const values = emptyValues({ municipalityCode: '2262', recipients });
  Object.assign(values, {
    personalIdentityNumber: uniqueIdentityNumber(),
    givenName: 'Anna',
    familyName: 'Exempel',
    given: true,
    recordedAt: '2026-11-20',
    ...(agency === 'municipality' ? { financialAssistanceMonths: '10' } : {}),
    ...(agency === 'employment-service' ? { unemployedMonths: '14', jobAndDevelopmentGuarantee: 'yes' } : {}),
    ...(agency === 'social-insurance' ? { sickLeaveMonths: '13', compensation: 'sickness-benefit' } : {}),
    ...changes,
  });
  return values;
}

/** The fields the server refuses a body for (via the same field mapping), or [] when it accepts it. */
function serverRefuses(body: unknown, agency: Agency): string[] {
  try {
    validateReferral(body, agency, teams);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.errors.map((entry) => fieldOfPath(entry.path) ?? entry.path);
  }
}

const tomorrow = () => swedishDateOf(new Date(Date.now() + 36 * 3600 * 1000));

describe('the referral form validation', () => {
  const cases: [string, Agency, Partial<FormValues>][] = [
    ['a complete municipality referral', 'municipality', {}],
    ['a complete Employment Service referral', 'employment-service', {}],
    ['a complete Social Insurance referral', 'social-insurance', {}],
    [
      'every optional field filled in',
      'employment-service',
      {
        phone: '070-123 45 67',
        email: 'anna@example.se',
        preferredLanguage: 'ar',
        interpreterNeeded: true,
        accessibilityNeeds: 'Ramp',
        method: 'verbal',
        validUntil: '2099-01-01',
        workCapacityHoursPerWeek: '12,5',
        disability: 'no',
        reason: 'Behöver stöd.',
      },
    ],
    [
      'an empty form',
      'municipality',
      {
        personalIdentityNumber: '',
        givenName: '',
        familyName: '',
        given: false,
        financialAssistanceMonths: '',
      },
    ],
    ['a wrong check digit', 'employment-service', { personalIdentityNumber: '19901211-9947' }],
    ['a name of spaces', 'employment-service', { givenName: '   ' }],
    ['a name too long', 'employment-service', { familyName: 'x'.repeat(101) }],
    ['a bad email address', 'employment-service', { email: 'anna@' }],
    ['a three-digit municipality code', 'employment-service', { municipalityCode: '226' }],
    ['a made-up language tag', 'employment-service', { preferredLanguage: 'x!' }],
    ['consent not given', 'employment-service', { given: false }],
    ['consent recorded tomorrow', 'employment-service', { recordedAt: tomorrow() }],
    ['consent recorded on no date', 'employment-service', { recordedAt: '2026-13-01' }],
    ['consent valid until before it was given', 'employment-service', { validUntil: '2000-01-01' }],
    ['half a month', 'employment-service', { unemployedMonths: '14.5' }],
    ['months as words', 'municipality', { financialAssistanceMonths: 'tio' }],
    ['too many months', 'social-insurance', { sickLeaveMonths: '601' }],
    ['41 hours a week', 'employment-service', { workCapacityHoursPerWeek: '41' }],
    ['the agency’s required question unanswered', 'employment-service', { jobAndDevelopmentGuarantee: '' }],
    ['the agency’s compensation unanswered', 'social-insurance', { compensation: '' }],
    ['a reason too long', 'municipality', { reason: 'x'.repeat(2001) }],
  ];

  for (const [name, agency, changes] of cases) {
    it(`judges ${name} as the server does`, () => {
      const body = toReferralBody(form(agency, changes), recipients);

      const client = validateReferralBody(body, agency, teams).map((error) => error.field);
      const server = serverRefuses(body, agency);

      expect(client.length === 0).toBe(server.length === 0);
      for (const field of server) expect(client).toContain(field);
    });
  }

  it('sends the usual ways of writing an identity number, spaces and a typographic dash let through', () => {
    const body = toReferralBody(
      form('municipality', { personalIdentityNumber: ' 19901211 – 9948 ' }),
      recipients,
    );

    expect((body.person as { personalIdentityNumber: string }).personalIdentityNumber).toBe('19901211-9948');
    expect(validateReferralBody(body, 'municipality', teams)).toEqual([]);
  });

  it('reads a decimal comma and leaves out the recipients when every team is ticked', () => {
    const body = toReferralBody(form('municipality', { workCapacityHoursPerWeek: '12,5' }), recipients);

    expect((body.situation as Record<string, unknown>).workCapacityHoursPerWeek).toBe(12.5);
    expect((body.consent as Record<string, unknown>).recipients).toBeUndefined();
  });

  it('lists the ticked recipients when the person did not agree to every team', () => {
    const body = toReferralBody(form('municipality', { recipients: ['labour-market-unit'] }), recipients);

    expect((body.consent as Record<string, unknown>).recipients).toEqual(['labour-market-unit']);
  });

  it('names why an identity number is wrong', () => {
    expect(identityNumberKind('')).toBe('required');
    expect(identityNumberKind('1990121')).toBe('format');
    expect(identityNumberKind('19901211-9947')).toBe('checkDigit');
    expect(identityNumberKind('19901311-9948')).toBe('date');
    expect(identityNumberKind('901211-9948')).toBeUndefined();
    expect(identityNumberKind('199012719945')).toBeUndefined(); // a coordination number, day + 60
    // Serial 000 is never issued: its own message, not "must have 10 or 12 digits".
    const serial000 = testIdentityNumber('1990-12-11', { serial: 0 });
    expect(identityNumberKind(serial000)).toBe('serial');
    expect(sv.form.errors.personalIdentityNumber.serial).toMatch(/000/);
    expect(en.form.errors.personalIdentityNumber.serial).toMatch(/000/);
  });

  it('leaves the consent date empty: the officer types the day the person agreed', () => {
    const values = emptyValues({ municipalityCode: '2262', recipients });

    expect(values.recordedAt).toBe('');
    expect(values.municipalityCode).toBe('2262');
    expect(
      validateReferralBody(
        toReferralBody(form('municipality', { recordedAt: '' }), recipients),
        'municipality',
        teams,
      ),
    ).toEqual([{ field: 'recordedAt', kind: 'required' }]);
  });

  it('warns before sending of an age outside 16–65 and of a "+" (100 years or older)', () => {
    const today = new Date('2026-12-03T10:00:00Z');
    const ageOf = (birth: string) => identityNumberWarnings(testIdentityNumber(birth), today);

    expect(ageOf('1990-12-11')).toEqual([]);
    expect(ageOf('1961-01-01')).toEqual([]); // 65
    expect(ageOf('1960-12-03')).toEqual([{ kind: 'age', age: 66 }]);
    expect(ageOf('2010-12-03')).toEqual([]); // 16 today
    expect(ageOf('2010-12-04')).toEqual([{ kind: 'age', age: 15 }]);
    const over100 = testIdentityNumber('1920-05-05').slice(2).replace('-', '+');
    expect(identityNumberWarnings(over100, today)).toEqual([{ kind: 'plus' }, { kind: 'age', age: 106 }]);
    expect(identityNumberWarnings('19901211-9947', today)).toEqual([]); // invalid: an error, not a warning
  });

  it("puts the server's errors in their fields, and the rest aside", () => {
    const mapped = serverErrors(
      [
        { path: 'consent.recipients.1', message: 'is not a team of this front desk' },
        { path: 'situation.sickLeaveMonths', message: 'is required in a referral from social-insurance' },
        { path: 'Idempotency-Key', message: '1–128 printable characters' },
      ],
      [],
    );

    expect(mapped.fields).toEqual([
      { field: 'recipients', kind: 'invalid' },
      { field: 'sickLeaveMonths', kind: 'required' },
    ]);
    expect(mapped.general).toEqual(['Idempotency-Key']);
  });
});

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`),
  );

describe('the message files', () => {
  it('have the same keys in Swedish and English', () => {
    expect(leaves(en as Tree).sort()).toEqual(leaves(sv as Tree).sort());
  });

  it('have a label for every field and an error for every way it can be wrong', () => {
    const keys = new Set(leaves(sv as Tree));
    for (const field of FIELD_NAMES) {
      expect(keys, field).toContain(`form.fields.${field}.label`);
      expect(keys, field).toContain(`form.errors.${field}.invalid`);
    }
    for (const kind of ['required', 'format', 'date', 'future', 'plus', 'checkDigit', 'serial']) {
      expect(keys).toContain(`form.errors.personalIdentityNumber.${kind}`);
    }
  });

  it('name every history step, withdrawal reason and status the API can send', () => {
    const keys = new Set(leaves(sv as Tree));
    const statuses = [
      ...caseStatusSchema.options,
      ...caseViewSchema.shape.assignments.def.element.shape.status.options,
    ];
    const wanted = [
      ...historyEventSchema.shape.event.options.map((event) => `history.${event}`),
      ...WITHDRAWAL_REASONS.map((reason) => `withdrawalReasons.${reason}`),
      ...statuses.map((status) => `status.${status}.label`),
    ];

    expect(wanted.filter((key) => !keys.has(key))).toEqual([]);
  });

  it('hold every text the pages name; no page text lives in the code', () => {
    const keys = new Set(leaves(sv as Tree));
    const sourceDir = join(import.meta.dirname, '../../web/src');
    const files = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const used = files.flatMap((file) =>
      [...readFileSync(join(sourceDir, file), 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map(
        (match) => match[1]!,
      ),
    );
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => !keys.has(key))).toEqual([]);
  });
});
