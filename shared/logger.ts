import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). Never log a body, a person, a token or free text: logs carry
 * ids (caseId, referralId, messageId), counts, codes and durations only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'front-desk' });
