import * as z from '../zod.js';

/**
 * The small parts of the referral's schema that other schemas (case events, notes, the ruleset) share:
 * in their own module, so that a function taking case events does not bundle the whole referral.
 */

// Control characters (but tab and line breaks in free text) and lone UTF-16 surrogates are no text a
// person typed: they would be stored as garbage, or refused by DynamoDB as invalid UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS = new Set([0x09, 0x0a, 0x0d]);

function isPlainText(text: string, multiline: boolean): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const control = code <= 0x1f || code === 0x7f;
    if (control && !(multiline && LINE_BREAKS.has(code))) return false;
  }
  return !LONE_SURROGATE.test(text);
}

/**
 * Text a person typed: within `max` characters, no control characters, line breaks only if
 * `multiline`; `required` trims it and refuses it empty.
 */
export const plainText = (max: number, options: { multiline?: boolean; required?: boolean } = {}) =>
  (options.required ? z.string().check(z.trim(), z.minLength(1)) : z.string()).check(
    z.maxLength(max),
    z.refine(
      (text) => isPlainText(text, options.multiline === true),
      options.multiline ? 'must be plain text' : 'must be plain text on one line',
    ),
  );

/** How the Social Insurance Agency compensates a person on sick leave (`situation.compensation`). */
export const COMPENSATIONS = [
  'none',
  'sickness-benefit',
  'time-limited-sickness-compensation',
  'activity-compensation',
] as const;
