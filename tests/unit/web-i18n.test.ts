import { afterAll, describe, expect, it } from 'vitest';

/**
 * web/src/i18n.ts is browser code (DOM types, JSON imports): loaded by path at run time, so the
 * tests' type check does not compile it under the Node settings.
 */
const I18N_MODULE = '../../web/src/i18n.js';
const { formatAge, formatDate, formatDateTime, formatNumber, setLang } = (await import(I18N_MODULE)) as {
  formatAge(iso: string, now?: Date): string;
  formatDate(isoDate: string): string;
  formatDateTime(iso: string): string;
  formatNumber(value: number): string;
  setLang(lang: 'sv' | 'en'): void;
};

/** The web app's dates and numbers: one date format per language, a Swedish decimal comma, "nyss". */
describe('dates and numbers in the web app', () => {
  // setLang sets <html lang>: a stand-in document is enough here.
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
  afterAll(() => setLang('sv'));

  const at = '2026-12-03T10:52:00Z'; // 11:52 in Stockholm

  it('writes dates and times in the long form in Swedish, the date the same with or without a time', () => {
    setLang('sv');
    expect(formatDate('2026-12-03')).toBe('3 december 2026');
    expect(formatDateTime(at)).toBe('3 december 2026 kl. 11:52');
  });

  it('does the same in English', () => {
    setLang('en');
    expect(formatDate('2026-12-03')).toBe('3 December 2026');
    expect(formatDateTime(at)).toBe('3 December 2026 at 11:52');
  });

  it('writes a decimal comma in Swedish and a point in English', () => {
    setLang('sv');
    expect(formatNumber(12.5)).toBe('12,5');
    setLang('en');
    expect(formatNumber(12.5)).toBe('12.5');
  });

  it('says "nyss" / "just now" within a minute, not "denna minut"', () => {
    const now = new Date(at);
    setLang('sv');
    expect(formatAge('2026-12-03T10:51:30Z', now)).toBe('nyss');
    expect(formatAge('2026-12-03T10:50:00Z', now)).toBe('för 2 minuter sedan');
    setLang('en');
    expect(formatAge('2026-12-03T10:51:30Z', now)).toBe('just now');
  });
});
