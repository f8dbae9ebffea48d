/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer):
 * 10 or 12 digits, `-` or `+` (100 years or older) before the last four, a serial of 001–999, a
 * Luhn check digit over the ten-digit form, and a coordination number's day raised by 60
 * (Skatteverket, SKV 704).
 */

export type PersonalIdentityNumber = {
  /** The normalised 12-digit form, YYYYMMDDNNNC: the only form stored or compared. */
  normalised: string;
  birthDate: { year: number; month: number; day: number };
  coordinationNumber: boolean;
  /** The second-to-last digit: odd for men, even for women. */
  legalGender: 'male' | 'female';
};

export type ParseFailure = { ok: false; reason: string };
export type ParseSuccess = { ok: true; value: PersonalIdentityNumber };

const PATTERN = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/;

export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let digit = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

type Day = { year: number; month: number; day: number };
const compareDays = (a: Day, b: Day) => a.year - b.year || a.month - b.month || a.day - b.day;
const toDay = (date: Date): Day => ({
  year: date.getUTCFullYear(),
  month: date.getUTCMonth() + 1,
  day: date.getUTCDate(),
});

/** Whole years between a birth date and a day (birthdays on 29 February count from 1 March). */
export function ageOn(birth: Day, on: Date): number {
  const today = toDay(on);
  let age = today.year - birth.year;
  if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) age -= 1;
  return age;
}

/** Parses and validates; `today` decides the century of a 10-digit number and rejects future births. */
export function parsePersonalIdentityNumber(
  input: string,
  today: Date = new Date(),
): ParseSuccess | ParseFailure {
  const match = PATTERN.exec(input.trim());
  if (!match) {
    return { ok: false, reason: 'must be 10 or 12 digits, as YYMMDD-NNNC or YYYYMMDD-NNNC' };
  }
  const [, century, yy, mm, dd, separator, serial, check] = match as unknown as string[];
  const month = Number(mm);
  const rawDay = Number(dd);
  const coordinationNumber = rawDay > 60;
  const day = coordinationNumber ? rawDay - 60 : rawDay;
  const now = toDay(today);

  let year: number;
  if (century !== undefined) {
    year = Number(century + yy);
  } else {
    // Ten digits: the most recent century that puts the birth date in the past; `+` adds a hundred years.
    year = Math.floor(now.year / 100) * 100 + Number(yy);
    if (compareDays({ year, month, day }, now) > 0) year -= 100;
    if (separator === '+') year -= 100;
  }

  if (month < 1 || month > 12 || day < 1 || year < 1800 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'the date of birth is not a valid date' };
  }
  const birthDate = { year, month, day };
  if (compareDays(birthDate, now) > 0) {
    return { ok: false, reason: 'the date of birth is in the future' };
  }
  if (century !== undefined && separator === '+' && ageOn(birthDate, today) < 100) {
    return { ok: false, reason: '"+" is only for people 100 years or older' };
  }
  // The birth number (födelsenummer) runs 001–999: Skatteverket never issues 000.
  if (serial === '000') {
    return { ok: false, reason: 'the serial number 000 is never issued' };
  }
  const tenDigits = `${yy}${mm}${dd}${serial}`;
  if (luhnCheckDigit(tenDigits) !== Number(check)) {
    return { ok: false, reason: 'the check digit is wrong' };
  }
  return {
    ok: true,
    value: {
      normalised: `${String(year).padStart(4, '0')}${mm}${dd}${serial}${check}`,
      birthDate,
      coordinationNumber,
      legalGender: Number(serial!.slice(-1)) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** Reads a normalised 12-digit number that was validated when it was stored. */
export function fromNormalised(normalised: string): PersonalIdentityNumber {
  const rawDay = Number(normalised.slice(6, 8));
  return {
    normalised,
    birthDate: {
      year: Number(normalised.slice(0, 4)),
      month: Number(normalised.slice(4, 6)),
      day: rawDay > 60 ? rawDay - 60 : rawDay,
    },
    coordinationNumber: rawDay > 60,
    legalGender: Number(normalised[10]) % 2 === 1 ? 'male' : 'female',
  };
}
