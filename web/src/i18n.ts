/**
 * All UI text comes from web/messages/<lang>.json. Swedish is the default; the choice of English is
 * kept in localStorage. `t()` takes keys the compiler checks against the Swedish file; `tOptional()`
 * is for keys made from data (a team id, a target group code) and falls back when there is none.
 */
import en from '../messages/en.json';
import sv from '../messages/sv.json';

export type Messages = typeof sv;
export type Lang = 'sv' | 'en';
export const LANGS: readonly Lang[] = ['sv', 'en'];

// Typed as the Swedish file: a key missing in English fails the type check.
const catalogs: Record<Lang, Messages> = { sv, en };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

const STORAGE_KEY = 'frontdesk.lang';

function storedLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'en' || stored === 'sv' ? stored : 'sv';
  } catch {
    return 'sv';
  }
}

let current: Lang = storedLang();

export const currentLang = (): Lang => current;

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page.
  }
}

function lookup(key: string, lang: Lang = current): string | undefined {
  let node: unknown = catalogs[lang];
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

type Params = Record<string, string | number>;

const fill = (text: string, params?: Params) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;

export function t(key: MessageKey, params?: Params): string {
  return fill(lookup(key) ?? key, params);
}

/** A key built from data: the message when there is one, else `undefined`. */
export function tOptional(key: string, params?: Params): string | undefined {
  const text = lookup(key);
  return text === undefined ? undefined : fill(text, params);
}

/** A message in the other language, e.g. the language switch's own label. */
export function tIn(lang: Lang, key: MessageKey): string {
  return lookup(key, lang) ?? key;
}

const locale = () => (current === 'sv' ? 'sv-SE' : 'en-GB');

/**
 * One date format per language, everywhere: the long form ("3 december 2026", "3 December 2026"),
 * with the time after it where there is one ("3 december 2026 kl. 11:52"). In Swedish time.
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  }).format(date);
}

export function formatDate(isoDate: string): string {
  const date = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'Europe/Stockholm' }).format(date);
}

/** "3 days ago" in the chosen language (the words come from the browser's Intl); "just now" within a minute. */
export function formatAge(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  // Intl says "denna minut" / "this minute" for 0 minutes, which nobody says.
  if (abs < 60) return t('time.justNow');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** A number as the language writes it: "12,5" in Swedish, "12.5" in English. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(value);
}

/** A month (YYYY-MM) as the language writes it: "mars 2026", or "mars" / "mar" with `short`. */
export function formatMonth(month: string, style: 'long' | 'short' = 'long'): string {
  const date = new Date(`${month}-15T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  const options: Intl.DateTimeFormatOptions =
    style === 'long' ? { month: 'long', year: 'numeric' } : { month: 'short' };
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'Europe/Stockholm' }).format(date);
}

/** A run of months (YYYY-MM): "januari–mars 2026", or one month alone. */
export function formatMonths(from: string, to: string): string {
  if (from === to) return formatMonth(from);
  const start = new Date(`${from}-15T12:00:00Z`);
  const end = new Date(`${to}-15T12:00:00Z`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${from}–${to}`;
  return new Intl.DateTimeFormat(locale(), {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Stockholm',
  }).formatRange(start, end);
}
