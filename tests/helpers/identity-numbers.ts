import { luhnCheckDigit } from '../../shared/identity/personal-identity-number.js';

/**
 * Identity numbers for tests: built with a valid check digit from a birth date and a serial in the
 * 98x–99x range of Skatteverket's test numbers, never a real person's. Formats: 'YYYYMMDD-NNNC'.
 */
export function testIdentityNumber(
  birth: string,
  options: { serial?: number; coordination?: boolean; female?: boolean } = {},
): string {
  const [year, month, day] = birth.split('-') as [string, string, string];
  const dd = options.coordination ? String(Number(day) + 60) : day;
  let serial = options.serial ?? 980;
  if (options.female !== undefined && (serial % 2 === 0) !== options.female) serial += 1;
  const nine = `${year.slice(2)}${month}${dd}${String(serial).padStart(3, '0')}`;
  return `${year}${month}${dd}-${String(serial).padStart(3, '0')}${luhnCheckDigit(nine)}`;
}

let sequence = 0;
const firstDay = Math.floor(Math.random() * 2000);

/**
 * A different valid test identity number on every call: never the same twice in one test file (each
 * file has its own table, so files need not differ from each other). Births from 1985-06-15 on.
 */
export function uniqueIdentityNumber(birth = '1985-06-15'): string {
  sequence += 1;
  const day = new Date(`${birth}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + firstDay + Math.floor(sequence / 20));
  return testIdentityNumber(day.toISOString().slice(0, 10), { serial: 980 + (sequence % 20) });
}

/** The contract's own example, a Skatteverket test number. */
export const CONTRACT_EXAMPLE_NUMBER = '19901211-9948';
