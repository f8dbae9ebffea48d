import { describe, expect, it } from 'vitest';
import { swedishDateOf, swedishDay } from '../../shared/time.js';

const HOUR = 60 * 60 * 1000;
const intl = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('swedishDateOf', () => {
  it('gives the date Intl gives for Europe/Stockholm, every hour from 2024 to 2031', () => {
    const mismatches: string[] = [];
    for (let at = Date.UTC(2024, 0, 1); at < Date.UTC(2032, 0, 1); at += HOUR) {
      const instant = new Date(at);
      if (swedishDateOf(instant) !== intl.format(instant)) mismatches.push(instant.toISOString());
    }

    expect(mismatches).toEqual([]);
  });

  it('follows the summer-time switches to the minute', () => {
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    const around = [
      Date.UTC(2026, 2, 28, 22, 59),
      Date.UTC(2026, 2, 28, 23, 0),
      Date.UTC(2026, 9, 24, 21, 59),
      Date.UTC(2026, 9, 24, 22, 0),
      Date.UTC(2026, 9, 25, 0, 59),
      Date.UTC(2026, 9, 25, 1, 0),
    ];
    for (const at of around) expect(swedishDateOf(new Date(at))).toBe(intl.format(new Date(at)));
  });

  it('is already tomorrow in Sweden at 23:30 UTC', () => {
    expect(swedishDateOf(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(swedishDateOf(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => swedishDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('swedishDay', () => {
  it('is midnight UTC of the Swedish calendar day', () => {
    expect(swedishDay(new Date('2026-03-29T22:30:00Z')).toISOString()).toBe('2026-03-30T00:00:00.000Z');
  });
});
