/**
 * Calendar dates are Swedish: a consent recorded "today" in Timrå is today even when UTC is still yesterday.
 *
 * Computed from the EU summer-time rule rather than with `Intl.DateTimeFormat`: building a formatter
 * for a time zone loads ICU's zone data, about 19 ms of every cold start (measured). Sweden keeps the
 * EU rule (Directive 2000/84/EC): CEST (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00
 * UTC on the last Sunday of October, CET (UTC+1) otherwise. tests/unit/time.test.ts holds it to Intl.
 */
const HOUR_MS = 60 * 60 * 1000;

/** 01:00 UTC on the last Sunday of the month (0-based) of the year, in epoch milliseconds. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Stockholm's offset from UTC at the instant, in milliseconds. */
function stockholmOffsetMs(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  const summer = epochMs >= lastSundayAtOneUtc(year, 2) && epochMs < lastSundayAtOneUtc(year, 9);
  return (summer ? 2 : 1) * HOUR_MS;
}

/** YYYY-MM-DD of the given instant in Sweden. */
export const swedishDateOf = (instant: Date): string => {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError('Invalid time value');
  return new Date(epochMs + stockholmOffsetMs(epochMs)).toISOString().slice(0, 10);
};

/** Midnight UTC of the Swedish calendar day, for date-only arithmetic such as ages. */
export const swedishDay = (instant: Date): Date => new Date(`${swedishDateOf(instant)}T00:00:00Z`);
