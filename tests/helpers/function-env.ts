import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';

/**
 * A valid function environment (shared/config/env.ts) for unit tests that load a handler without
 * engines behind it: the AWS clients are stubbed, the URLs are never called.
 */
export const UNIT_FUNCTION_ENV = {
  TABLE_NAME: 'cases',
  SCREENING_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/frontdesk-screening',
  TEAM_QUEUE_URLS: JSON.stringify({
    'front-desk': 'https://sqs.eu-north-1.amazonaws.com/000000000000/frontdesk-front-desk',
  }),
  DEPLOYMENT: JSON.stringify(DEFAULT_DEPLOYMENT),
  PERSON_KEY: 'cd'.repeat(32),
};
