import { swedishDateOf } from '../time.js';

/**
 * Service levels count working days (CONTRACT.md v1.1, "Service levels and escalation"): Monday to
 * Friday, not Swedish public holidays (lag 1989:253 om allmänna helgdagar), nor the eves that
 * workplaces keep closed (midsummer eve, Christmas eve, New Year's eve). Holidays that always fall on
 * a weekend (Easter Sunday, Whitsunday, Midsummer Day, All Saints' Day) need no entry.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

const iso = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const text = (date: Date) => date.toISOString().slice(0, 10);
const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

/** Easter Sunday of a Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** The weekday holidays and closed eves of a year, as YYYY-MM-DD, with their Swedish names. */
export function swedishHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  // Midsummer eve: the Friday between 19 and 25 June.
  const june19 = iso(year, 6, 19);
  const midsummerEve = plusDays(june19, (5 - june19.getUTCDay() + 7) % 7);
  return new Map([
    [`${year}-01-01`, 'nyårsdagen'],
    [`${year}-01-06`, 'trettondedag jul'],
    [text(plusDays(easter, -2)), 'långfredagen'],
    [text(plusDays(easter, 1)), 'annandag påsk'],
    [`${year}-05-01`, 'första maj'],
    [text(plusDays(easter, 39)), 'Kristi himmelfärdsdag'],
    [`${year}-06-06`, 'Sveriges nationaldag'],
    [text(midsummerEve), 'midsommarafton'],
    [`${year}-12-24`, 'julafton'],
    [`${year}-12-25`, 'juldagen'],
    [`${year}-12-26`, 'annandag jul'],
    [`${year}-12-31`, 'nyårsafton'],
  ]);
}

const cache = new Map<number, Map<string, string>>();

/** Whether a Swedish calendar day (YYYY-MM-DD) is a working day. */
export function isWorkingDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const year = date.getUTCFullYear();
  const holidays = cache.get(year) ?? swedishHolidays(year);
  cache.set(year, holidays);
  return !holidays.has(day);
}

/** An ISO 8601 duration of days and clock time, such as P2D, PT20S or P1DT4H. */
export type ServiceLevel = { days: number; milliseconds: number };

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseServiceLevel(duration: string): ServiceLevel | undefined {
  const match = DURATION.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  const level = {
    days: Number(days),
    milliseconds: ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000,
  };
  return level.days + level.milliseconds > 0 && level.days <= 365 ? level : undefined;
}

/**
 * When an assignment routed at `from` is due: days count working days (the same time of day, on
 * the n-th working day after), then hours, minutes and seconds count clock time.
 */
export function dueAt(from: string, level: ServiceLevel): string {
  let at = new Date(from);
  for (let day = 0; day < level.days; day++) {
    do at = plusDays(at, 1);
    while (!isWorkingDay(swedishDateOf(at)));
  }
  return new Date(at.getTime() + level.milliseconds).toISOString();
}
