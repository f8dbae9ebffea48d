import { FRONT_DESK } from '../config/deployment.js';
import { collectPages } from '../data/table.js';
import type { Caller } from '../http/caller.js';
import type { PersonKeyer } from '../identity/person-key.js';
import { canReadCase } from './access.js';
import { holdsCase } from './assignments.js';
import { workEntry } from './case-items.js';
import type { CaseServiceDeps } from './case-service.js';
import { isRestrictedReader, workListItem } from './case-view.js';
import type { CaseRecord } from './model.js';
import type { WorkItem } from './repository.js';
import { NAME_SEARCH_SCAN_LIMIT, nameMatches, type SearchQuery } from './search.js';

export type SearchDeps = CaseServiceDeps & { personKey: PersonKeyer };

/** The team whose entry a found case is shown as: the caller's own, else the front desk's, else any. */
function shownAssignment(record: CaseRecord, caller: Caller, team: string | undefined) {
  const holding = Object.values(record.assignments).filter((assignment) => holdsCase(assignment.state));
  const preferred = team ? [team] : [...caller.teams, FRONT_DESK];
  for (const name of preferred) {
    const found = holding.find((assignment) => assignment.team === name);
    if (found) return found;
  }
  return team ? undefined : holding[0];
}

/**
 * GET /cases?q= with a case reference or an identity number: exactly that case (a person's cases,
 * newest first), within what the caller may read. A search by identity number is written to the
 * audit trail of each case it finds, before the answer.
 */
export async function findCases(
  deps: SearchDeps,
  caller: Caller,
  search: Exclude<SearchQuery, { kind: 'name' }>,
  team: string | undefined,
  now: Date,
) {
  const caseIds =
    search.kind === 'reference'
      ? [await deps.repository.findCaseIdByReference(search.reference)].filter((id) => id !== undefined)
      : await deps.repository.findCaseIdsByPerson(await deps.personKey(search.normalised));
  const records = await deps.repository.getCases(caseIds);
  const restricted = isRestrictedReader(caller, deps.deployment, FRONT_DESK);
  const items = [];
  for (const caseId of caseIds) {
    const record = records.get(caseId);
    if (!record || !canReadCase(caller, record, FRONT_DESK, now)) continue;
    const assignment = shownAssignment(record, caller, team);
    if (!assignment) continue;
    if (search.kind === 'identity') {
      await deps.audit.appendAudit(caseId, {
        at: now.toISOString(),
        action: 'search',
        subject: caller.subject,
        groups: caller.groups,
        ...(caller.teams[0] ? { team: caller.teams.join(',') } : {}),
      });
    }
    items.push(workListItem(workEntry(record, assignment), restricted, deps.ruleset));
  }
  return { items, nextCursor: null };
}

/**
 * GET /cases?team=&q=<name>: the team's own work list, open then closed, entries whose given or
 * family name starts with the text. Reads at most NAME_SEARCH_SCAN_LIMIT entries.
 */
export async function searchWorkByName(
  deps: CaseServiceDeps,
  team: string,
  prefix: string,
  limit: number,
): Promise<WorkItem[]> {
  const found: WorkItem[] = [];
  let read = 0;
  // Open work first, then closed, within one read budget.
  for (const closed of [false, true]) {
    if (found.length >= limit || read >= NAME_SEARCH_SCAN_LIMIT) break;
    const part = await collectPages(
      (pageLimit, cursor) =>
        deps.repository.listTeamWork(team, { closed, limit: pageLimit, ...(cursor ? { cursor } : {}) }),
      {
        cap: NAME_SEARCH_SCAN_LIMIT - read,
        want: limit - found.length,
        keep: (item) => nameMatches(prefix, item),
      },
    );
    found.push(...part.items);
    read += part.read;
  }
  return found.slice(0, limit);
}
