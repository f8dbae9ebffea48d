import type { AuditRepository } from '../audit/repository.js';
import type { CaseRepository } from '../cases/repository.js';
import { classifySearch, NAME_SEARCH_SCAN_LIMIT, nameMatches } from '../cases/search.js';
import { type Agency, agencySchema } from '../config/deployment.js';
import { collectPages } from '../data/table.js';
import { ForbiddenError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { pageParameters, parseQuery } from '../http/query.js';
import type { PersonKeyer } from '../identity/person-key.js';
import * as z from '../zod.js';
import type { ReferralRepository } from './repository.js';
import { caseStatusSchema, referralSummary } from './views.js';

export type ReferralListDeps = {
  cases: CaseRepository;
  referrals: ReferralRepository;
  audit: AuditRepository;
  personKey: PersonKeyer;
  now?: () => Date;
};

const querySchema = z.strictObject({
  ...pageParameters(20),
  agency: z.optional(agencySchema),
  /** A case reference or identity number (that case), or the start of a name. */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  /** Only referrals whose case has this status (filters the page read). */
  status: z.optional(caseStatusSchema),
});

/** The agency's referrals on the cases a reference or identity number finds; an identity search is audited. */
async function findReferrals(
  deps: ReferralListDeps,
  caller: Caller,
  agency: Agency,
  caseIds: string[],
  audited: boolean,
  now: Date,
) {
  const cases = await deps.cases.getCases(caseIds);
  const referralIds = caseIds.flatMap((caseId) =>
    (cases.get(caseId)?.referrals ?? [])
      .filter((referral) => referral.agency === agency)
      .map((referral) => referral.referralId)
      .reverse(),
  );
  const found = await deps.referrals.getReferrals(referralIds);
  if (audited) {
    for (const caseId of new Set(found.map((referral) => referral.caseId))) {
      await deps.audit.appendAudit(caseId, {
        at: now.toISOString(),
        action: 'search',
        subject: caller.subject,
        groups: caller.groups,
      });
    }
  }
  return {
    items: found.map((referral) => referralSummary(referral, cases.get(referral.caseId))),
    nextCursor: null,
  };
}

/**
 * GET /referrals: the caller's agency's referrals, newest first, a page at a time; with `q`, those
 * of the case a reference or identity number names, or those whose person's name starts with it.
 */
export async function listReferrals(
  deps: ReferralListDeps,
  caller: Caller,
  query: Record<string, string | undefined> | null,
) {
  const parsed = parseQuery(querySchema, query);
  if (parsed.agency && !caller.admin && parsed.agency !== caller.agency) {
    throw new ForbiddenError("Only administrators may list another agency's referrals.");
  }
  const agency = parsed.agency ?? caller.agency;
  if (!agency) throw new ForbiddenError('Administrators name the agency to list with ?agency=.');
  const now = deps.now?.() ?? new Date();
  const search = parsed.q === undefined ? undefined : classifySearch(parsed.q, now);

  if (search?.kind === 'reference') {
    const caseId = await deps.cases.findCaseIdByReference(search.reference);
    return findReferrals(deps, caller, agency, caseId ? [caseId] : [], false, now);
  }
  if (search?.kind === 'identity') {
    const caseIds = await deps.cases.findCaseIdsByPerson(await deps.personKey(search.normalised));
    return findReferrals(deps, caller, agency, caseIds, true, now);
  }

  const page = search
    ? await searchByName(deps, agency, search.prefix, parsed.limit)
    : await deps.referrals.listReferrals(agency, parsed.limit, parsed.cursor);
  const cases = await deps.cases.getCases(page.items.map((referral) => referral.caseId));
  const items = page.items.map((referral) => referralSummary(referral, cases.get(referral.caseId)));
  return {
    items: parsed.status ? items.filter((item) => item.status === parsed.status) : items,
    nextCursor: page.nextCursor,
  };
}

/** The agency's referrals whose person's name starts with the text, newest first; a bounded read. */
async function searchByName(deps: ReferralListDeps, agency: Agency, prefix: string, limit: number) {
  const { items } = await collectPages(
    (pageLimit, cursor) => deps.referrals.listReferrals(agency, pageLimit, cursor),
    { cap: NAME_SEARCH_SCAN_LIMIT, want: limit, keep: (referral) => nameMatches(prefix, referral.person) },
  );
  return { items: items.slice(0, limit), nextCursor: null };
}
