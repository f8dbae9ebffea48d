/**
 * Redaction, the second line of defence for everything that leaves a function as text: fields that
 * hold personal or health data by name, whatever their value, and anything shaped like an identity
 * number or an e-mail address wherever it appears (an error message, a stack, an SDK error's item,
 * a request line). No logger here, so the local runtime can use it before the functions load.
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

export function redactValue(key: string, value: unknown): unknown {
  if (SENSITIVE_KEYS.has(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return value.replace(IDENTITY_NUMBER, REDACTED).replace(EMAIL, REDACTED);
  return value;
}
