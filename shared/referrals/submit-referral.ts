import { randomUUID } from 'node:crypto';
import type { CaseRepository } from '../cases/repository.js';
import type { Agency } from '../config/deployment.js';
import { type FieldError, ValidationError } from '../errors.js';
import { validationError } from '../http/problem.js';
import { idempotencyRequest, idFromKey } from '../idempotency.js';
import type { PersonKeyer } from '../identity/person-key.js';
import { parsePersonalIdentityNumber } from '../identity/personal-identity-number.js';
import { logger } from '../logger.js';
import { countReferralReceived } from '../metrics.js';
import { swedishDay } from '../time.js';
import { REQUIRED_SITUATION_FIELDS, type ReferralInput, referralInputSchema } from './schema.js';

export type SubmitDeps = {
  repository: Pick<CaseRepository, 'acceptReferral'>;
  personKey: PersonKeyer;
  requestScreening: (caseId: string) => Promise<void>;
  teams: readonly string[];
  now?: () => Date;
};

export type SubmitRequest = {
  agency: Agency;
  submittedBy: string;
  /** The submitter's groups, for the case's audit trail. */
  groups?: string[];
  body: unknown;
  idempotencyKey?: string | undefined;
};

export type SubmitResult = {
  referralId: string;
  caseId: string;
  status: 'RECEIVED';
  attachedToExistingCase: boolean;
};

/** Validates a referral body for the referring agency; every problem is named by its field path. */
export function validateReferral(body: unknown, agency: Agency, teams: readonly string[]): ReferralInput {
  const parsed = referralInputSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'The referral');
  const referral = parsed.data;
  const errors: FieldError[] = [];
  for (const field of REQUIRED_SITUATION_FIELDS[agency]) {
    if (referral.situation[field] === undefined) {
      errors.push({ path: `situation.${field}`, message: `is required in a referral from ${agency}` });
    }
  }
  referral.consent.recipients?.forEach((team, index) => {
    if (!teams.includes(team)) {
      errors.push({
        path: `consent.recipients.${index}`,
        message: `is not a team of this front desk (${teams.join(', ')})`,
      });
    }
  });
  if (errors.length > 0) {
    throw new ValidationError(
      `The referral is not valid: ${errors.map((error) => error.path).join(', ')}.`,
      errors,
    );
  }
  return referral;
}

/**
 * One way in: validates a referral, stores it with its case in one transaction (a new case, or the
 * person's open case), and hands the case to screening. Once this returns, the referral is never
 * lost: if the hand-over fails, the scheduled re-drive finds the case still waiting.
 */
export async function submitReferral(deps: SubmitDeps, request: SubmitRequest): Promise<SubmitResult> {
  const now = deps.now?.() ?? new Date();
  // Validated before anything walks the body: a hostile shape (10,000 levels deep) is a 400 naming its field.
  const referral = validateReferral(request.body, request.agency, deps.teams);
  const idempotency = idempotencyRequest(request.agency, request.idempotencyKey, request.body);
  const identity = parsePersonalIdentityNumber(referral.person.personalIdentityNumber, swedishDay(now));
  if (!identity.ok) throw new Error('unreachable: the schema validated the identity number');
  const person = { ...referral.person, personalIdentityNumber: identity.value.normalised };

  const outcome = await deps.repository.acceptReferral({
    referral: {
      // Keyed, a retry names the same referral: its item is the record of the first answer.
      referralId: idempotency ? idFromKey(idempotency) : randomUUID(),
      agency: request.agency,
      submittedAt: now.toISOString(),
      submittedBy: request.submittedBy,
      person,
      consent: referral.consent,
      situation: referral.situation,
      ...(referral.reason !== undefined ? { reason: referral.reason } : {}),
    },
    personKey: await deps.personKey(identity.value.normalised),
    ...(idempotency ? { idempotency } : {}),
    newCaseId: randomUUID,
    audit: { subject: request.submittedBy, groups: request.groups ?? [`agency-${request.agency}`] },
  });

  if (!outcome.replayed) {
    countReferralReceived();
    try {
      await deps.requestScreening(outcome.caseId);
    } catch (error) {
      // Stored is safe: the case stays marked as waiting and the scheduled re-drive hands it over.
      logger.warn('Screening hand-over failed; the re-drive will retry', {
        caseId: outcome.caseId,
        error: (error as Error).name,
      });
    }
  }
  logger.info('Referral accepted', {
    referralId: outcome.referralId,
    caseId: outcome.caseId,
    attachedToExistingCase: outcome.attachedToExistingCase,
    replayed: outcome.replayed,
  });
  return {
    referralId: outcome.referralId,
    caseId: outcome.caseId,
    status: 'RECEIVED',
    attachedToExistingCase: outcome.attachedToExistingCase,
  };
}
