import { Logger } from '@aws-lambda-powertools/logger';
import { redactValue } from './redact.js';

/**
 * Structured JSON logs (Powertools). Logs carry ids (caseId, referralId, messageId), counts, codes and
 * durations only; never a body, a person, a token or free text, and every value is redacted on its
 * way out (shared/redact.ts).
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'front-desk',
  jsonReplacerFn: redactValue,
});
