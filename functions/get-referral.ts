import { AuditRepository } from '../shared/audit/repository.js';
import { CaseRepository } from '../shared/cases/repository.js';
import { dynamo } from '../shared/clients.js';
import { functionEnv } from '../shared/config/env.js';
import { NotFoundError } from '../shared/errors.js';
import { canReadAgency, requireReferralReader } from '../shared/http/caller.js';
import { entityTag, httpApi, json, notModified } from '../shared/http/http-api.js';
import { ReferralRepository } from '../shared/referrals/repository.js';
import { referralView } from '../shared/referrals/views.js';
import { DEFAULT_RULESET } from '../shared/screening/default-ruleset.js';

const env = functionEnv();
const cases = new CaseRepository(dynamo, env.TABLE_NAME);
const referrals = new ReferralRepository(dynamo, env.TABLE_NAME);
const audit = new AuditRepository(dynamo, env.TABLE_NAME);

/** GET /referrals/{referralId}: the referring agency follows its referral (closed loop). */
export const handler = httpApi(
  async (event) => {
    const referralId = event.pathParameters?.referralId ?? '';
    const referral = await referrals.getReferral(referralId);
    // Another agency's referral answers exactly like a missing one, so existence does not leak.
    if (!referral || !canReadAgency(event.caller, referral.agency)) {
      throw new NotFoundError('No such referral.');
    }
    const record = await cases.getCase(referral.caseId);
    if (!record) throw new NotFoundError('No such referral.');
    const view = referralView(referral, record, { ruleset: DEFAULT_RULESET, deployment: env.DEPLOYMENT });
    const tag = entityTag(view);
    // A poll whose copy is current gets 304: no data leaves, so nothing is read into the audit trail.
    if (event.headers?.['if-none-match'] === tag) return notModified(tag);
    // The view carries the screening (target groups can tell of health): the read is audited first.
    await audit.appendAudit(record.caseId, {
      at: new Date().toISOString(),
      action: 'read-referral',
      subject: event.caller.subject,
      groups: event.caller.groups,
    });
    return json(200, view, { ETag: tag });
  },
  { authorize: requireReferralReader },
);
