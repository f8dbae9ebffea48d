/**
 * Redaction, the second line of defence for everything that leaves a function as text: fields that
 * hold personal or health data by name, whatever their value, and anything shaped like an identity
 * number or an e-mail address wherever it appears (an error message, a stack, an SDK error's item,
 * a request line), percent-encoded or not. No logger here, so the local runtime can use it before the functions load.
 */
export const SENSITIVE_KEYS = new Set([
  'personalIdentityNumber',
  'givenName',
  'familyName',
  'phone',
  'email',
  'accessibilityNeeds',
  'reason',
  'note',
  'person',
  'situation',
  'sickLeaveMonths',
  'compensation',
  'disability',
  'body',
  'jsonBody',
  'MessageBody',
  'Body',
  'Item',
  'Items',
  'Attributes',
  'authorization',
  'Authorization',
  'token',
  'claims',
]);

const IDENTITY_NUMBER = /(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export const REDACTED = '[redacted]';

/** Printable ASCII escapes only: every character the patterns look for, and never a line break. */
const PRINTABLE_ESCAPE = /%(2[0-9a-f]|[3-6][0-9a-f]|7[0-9a-e])/gi;

/**
 * Percent-decoding for the search only (`19901211%2D9948`, `anna%40example.se`, and twice-encoded
 * `%252D`): a few rounds of the printable ASCII escapes. Anything else, malformed escapes included,
 * is left as it is, so it never throws.
 */
function percentDecoded(text: string): string {
  let current = text;
  for (let round = 0; round < 3 && current.includes('%'); round++) {
    const next = current.replace(PRINTABLE_ESCAPE, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

const redactText = (text: string) => text.replace(IDENTITY_NUMBER, REDACTED).replace(EMAIL, REDACTED);

export function redactValue(key: string, value: unknown): unknown {
  if (SENSITIVE_KEYS.has(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value !== 'string') return value;
  const redacted = redactText(value);
  const decoded = percentDecoded(redacted);
  if (decoded === redacted) return redacted;
  // Something was hidden by percent-encoding: the decoded text, redacted, is what is written.
  const found = redactText(decoded);
  return found === decoded ? redacted : found;
}
