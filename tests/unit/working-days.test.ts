import { describe, expect, it } from 'vitest';
import {
  dueAt,
  easterSunday,
  isWorkingDay,
  parseServiceLevel,
  swedishHolidays,
} from '../../shared/calendar/working-days.js';

/** The weekday public holidays and closed eves of 2026–2030, from Swedish almanacs. */
const HOLIDAYS: Record<number, string[]> = {
  2026: [
    '01-01',
    '01-06',
    '04-03',
    '04-06',
    '05-01',
    '05-14',
    '06-06',
    '06-19',
    '12-24',
    '12-25',
    '12-26',
    '12-31',
  ],
  2027: [
    '01-01',
    '01-06',
    '03-26',
    '03-29',
    '05-01',
    '05-06',
    '06-06',
    '06-25',
    '12-24',
    '12-25',
    '12-26',
    '12-31',
  ],
  2028: [
    '01-01',
    '01-06',
    '04-14',
    '04-17',
    '05-01',
    '05-25',
    '06-06',
    '06-23',
    '12-24',
    '12-25',
    '12-26',
    '12-31',
  ],
  2029: [
    '01-01',
    '01-06',
    '03-30',
    '04-02',
    '05-01',
    '05-10',
    '06-06',
    '06-22',
    '12-24',
    '12-25',
    '12-26',
    '12-31',
  ],
  2030: [
    '01-01',
    '01-06',
    '04-19',
    '04-22',
    '05-01',
    '05-30',
    '06-06',
    '06-21',
    '12-24',
    '12-25',
    '12-26',
    '12-31',
  ],
};

describe('the Swedish working-day calendar', () => {
  it('puts Easter Sunday where the almanac does', () => {
    expect(
      [2026, 2027, 2028, 2029, 2030].map((year) => easterSunday(year).toISOString().slice(0, 10)),
    ).toEqual(['2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21']);
  });

  it.each(Object.entries(HOLIDAYS))('knows every holiday and closed eve of %s', (year, days) => {
    const expected = days.map((day) => `${year}-${day}`).sort();
    expect([...swedishHolidays(Number(year)).keys()].sort()).toEqual(expected);
    for (const day of expected) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) expect(isWorkingDay(day), day).toBe(false);
    }
  });

  it('counts Monday to Friday as working days and weekends not', () => {
    expect(isWorkingDay('2026-12-04')).toBe(true); // a Friday
    expect(isWorkingDay('2026-12-05')).toBe(false);
    expect(isWorkingDay('2026-12-06')).toBe(false);
    expect(isWorkingDay('2026-12-07')).toBe(true);
  });
});

describe('a service level', () => {
  it('reads ISO 8601 durations of days and clock time, and refuses others', () => {
    expect(parseServiceLevel('P2D')).toEqual({ days: 2, milliseconds: 0 });
    expect(parseServiceLevel('PT20S')).toEqual({ days: 0, milliseconds: 20_000 });
    expect(parseServiceLevel('P1DT4H30M')).toEqual({ days: 1, milliseconds: 16_200_000 });
    for (const bad of ['P', 'PT', '2D', 'P1W', 'P0D', 'P-1D', 'P2DT', 'P1Y'])
      expect(parseServiceLevel(bad), bad).toBeUndefined();
  });

  it('is due two working days later, over weekends and holidays', () => {
    const twoDays = parseServiceLevel('P2D')!;
    // Thursday 09:00 → Monday 09:00 (Friday is one, Monday two).
    expect(dueAt('2026-12-03T08:00:00.000Z', twoDays)).toBe('2026-12-07T08:00:00.000Z');
    // Tuesday 23 December → Monday 29 December (24, 25, 26 and the weekend do not count).
    expect(dueAt('2026-12-22T09:00:00.000Z', twoDays)).toBe('2026-12-28T09:00:00.000Z');
    // Midsummer eve 2027 is Friday 25 June: Thursday 24 → Tuesday 29.
    expect(dueAt('2027-06-24T07:00:00.000Z', twoDays)).toBe('2027-06-29T07:00:00.000Z');
    // Maundy Thursday 2027 (25 March) → Wednesday 31 March: Good Friday and Easter Monday are off.
    expect(dueAt('2027-03-25T10:00:00.000Z', twoDays)).toBe('2027-03-31T10:00:00.000Z');
    // Clock time counts as it is.
    expect(dueAt('2026-12-05T10:00:00.000Z', parseServiceLevel('PT20S')!)).toBe('2026-12-05T10:00:20.000Z');
  });
});

describe('service levels in the deployment configuration', () => {
  it('reads -c serviceLevels, validates each, and gives every other team P2D', async () => {
    const { parseDeploymentConfig, parseServiceLevels, serviceLevelsOf, DEFAULT_DEPLOYMENT } = await import(
      '../../shared/config/deployment.js'
    );
    const config = parseDeploymentConfig({
      ...DEFAULT_DEPLOYMENT,
      serviceLevels: parseServiceLevels('labour-market-unit=P3D, front-desk=PT4H'),
    });
    const level = serviceLevelsOf(config);
    expect(level('labour-market-unit')).toEqual({ days: 3, milliseconds: 0 });
    expect(level('front-desk')).toEqual({ days: 0, milliseconds: 4 * 3600_000 });
    expect(level('employment-service')).toEqual({ days: 2, milliseconds: 0 });
    expect(serviceLevelsOf(config, 'PT20S')('labour-market-unit')).toEqual({ days: 0, milliseconds: 20_000 });
    expect(() =>
      parseDeploymentConfig({ ...DEFAULT_DEPLOYMENT, serviceLevels: parseServiceLevels('no-such-team=P1D') }),
    ).toThrow(/serviceLevels/);
    expect(() =>
      parseDeploymentConfig({ ...DEFAULT_DEPLOYMENT, serviceLevels: { 'front-desk': 'two days' } }),
    ).toThrow(/ISO 8601/);
  });
});
