import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, parsePersonalIdentityNumber } from '../../shared/identity/personal-identity-number.js';
import { CONTRACT_EXAMPLE_NUMBER, testIdentityNumber } from '../helpers/identity-numbers.js';

const TODAY = new Date('2026-11-23T00:00:00Z');
const parse = (input: string) => parsePersonalIdentityNumber(input, TODAY);
const normalised = (input: string) => {
  const result = parse(input);
  if (!result.ok) throw new Error(`expected ${input} to be valid: ${result.reason}`);
  return result.value;
};

describe('parsePersonalIdentityNumber', () => {
  it('accepts the contract example in every usual way of writing it, normalised to 12 digits', () => {
    for (const written of ['19901211-9948', '199012119948', '901211-9948', '9012119948', ' 901211-9948 ']) {
      expect(normalised(written).normalised).toBe('199012119948');
    }
  });

  it('reads the legal gender from the second-to-last digit', () => {
    expect(normalised(CONTRACT_EXAMPLE_NUMBER).legalGender).toBe('female');
    expect(normalised(testIdentityNumber('1980-01-01', { serial: 981 })).legalGender).toBe('male');
  });

  it('accepts a samordningsnummer (day + 60) and reads its real birth date', () => {
    const value = normalised(testIdentityNumber('1990-12-11', { coordination: true }));
    expect(value.coordinationNumber).toBe(true);
    expect(value.birthDate).toEqual({ year: 1990, month: 12, day: 11 });
    expect(value.normalised.slice(6, 8)).toBe('71');
  });

  it('puts a ten-digit number in the latest century that makes the birth date past', () => {
    expect(normalised('121212-1212').normalised).toBe('201212121212');
    const lastYear = testIdentityNumber('2025-11-24').slice(2);
    expect(normalised(lastYear).birthDate.year).toBe(2025);
    const tomorrowLastCentury = testIdentityNumber('1926-11-24').slice(2);
    expect(normalised(tomorrowLastCentury).birthDate.year).toBe(1926);
  });

  it('uses "+" for people 100 years or older', () => {
    expect(normalised('121212+1212').normalised).toBe('191212121212');
    expect(normalised('19121212+1212').normalised).toBe('191212121212');
    const young = parse('19901211+9948');
    expect(young.ok).toBe(false);
  });

  it('refuses a wrong check digit, an impossible date, a future birth and a wrong length', () => {
    expect(parse('19901211-9947')).toMatchObject({ ok: false, reason: 'the check digit is wrong' });
    expect(parse('19901311-9948')).toMatchObject({
      ok: false,
      reason: 'the date of birth is not a valid date',
    });
    expect(parse(testIdentityNumber('2027-01-01'))).toMatchObject({
      ok: false,
      reason: 'the date of birth is in the future',
    });
    expect(parse('1990121199')).toMatchObject({ ok: false });
    expect(parse('19901211-99480')).toMatchObject({ ok: false });
    expect(parse('abcdefgh-ijkl')).toMatchObject({ ok: false });
  });

  it('refuses the serial number 000, which Skatteverket never issues, with a clear reason', () => {
    const reason = 'the serial number 000 is never issued';
    for (const birth of ['2015-09-16', '1980-01-01']) {
      const number = testIdentityNumber(birth, { serial: 0 });
      expect(number.slice(-4, -1)).toBe('000');
      expect(parse(number), number).toMatchObject({ ok: false, reason });
      expect(parse(number.slice(2)), number).toMatchObject({ ok: false, reason });
      expect(parse(number.replace('-', '')), number).toMatchObject({ ok: false, reason });
    }
    expect(parse(testIdentityNumber('1990-12-11', { serial: 0, coordination: true }))).toMatchObject({
      ok: false,
      reason,
    });
    expect(parse(testIdentityNumber('2015-09-16', { serial: 1 })).ok).toBe(true);
  });

  it('refuses 29 February outside leap years and accepts it in them', () => {
    expect(parse(testIdentityNumber('2000-02-29')).ok).toBe(true);
    const notLeap = testIdentityNumber('2000-02-29').replace(/^2000/, '2001');
    expect(parse(notLeap)).toMatchObject({ ok: false, reason: 'the date of birth is not a valid date' });
  });

  it('refuses every single-digit change of a valid number', () => {
    const valid = '199012119948';
    for (let position = 0; position < valid.length; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === valid[position]) continue;
        const mutated = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
        // Changing a century digit keeps the ten digits the check covers: it must then fail on the date.
        const result = parse(mutated);
        if (position < 2 && result.ok) {
          expect(result.value.normalised).not.toBe(valid);
          continue;
        }
        expect(result.ok, mutated).toBe(false);
      }
    }
  });

  it('accepts any generated number with a valid check digit and round-trips it', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1927-01-01'), max: new Date('2026-11-22'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 999 }),
        fc.boolean(),
        (birth, serial, coordination) => {
          const number = testIdentityNumber(birth.toISOString().slice(0, 10), { serial, coordination });
          const value = normalised(number);
          expect(value.normalised).toBe(number.replace('-', ''));
          expect(normalised(number.slice(2)).normalised).toBe(value.normalised);
        },
      ),
    );
  });
});

describe('ageOn', () => {
  it('counts whole years and turns a year older on the birthday', () => {
    const birth = { year: 2010, month: 11, day: 23 };
    expect(ageOn(birth, new Date('2026-11-22T00:00:00Z'))).toBe(15);
    expect(ageOn(birth, new Date('2026-11-23T00:00:00Z'))).toBe(16);
  });
});
