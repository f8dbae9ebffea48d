/** Names of the domain's ids in the chosen language; an id without a message is shown as it is. */
import { t, tOptional } from './i18n.js';

export const agencyName = (agency: string) => tOptional(`agencies.${agency}`) ?? agency;
export const teamName = (team: string) => tOptional(`teams.${team}`) ?? team;
export const targetGroupName = (code: string) => tOptional(`targetGroups.${code}`) ?? code;
export const outcomeName = (outcome: string) => tOptional(`outcomes.${outcome}`) ?? outcome;
/** Why the client's consent no longer covers a team, in words. */
export const withdrawalReasonText = (reason: string) => tOptional(`withdrawalReasons.${reason}`) ?? reason;

/** What a demo user or a signed-in user does, from their groups. */
export function roleName(groups: readonly string[]): string {
  const names = groups.map((group) => {
    if (group.startsWith('agency-')) return t('roles.agency', { agency: agencyName(group.slice(7)) });
    if (group.startsWith('team-')) return t('roles.team', { team: teamName(group.slice(5)) });
    if (group === 'admins') return t('roles.admin');
    if (group === 'steering-group') return t('roles.steeringGroup');
    return group;
  });
  return names.join(', ');
}

/** A person's name as lists show it: given and family name, or '' when there is none. */
export const personName = (person: { givenName?: unknown; familyName?: unknown } | undefined) =>
  [person?.givenName, person?.familyName].filter((part) => typeof part === 'string' && part).join(' ');

/** Why a case is in the front desk's queue, in words. */
export const frontDeskReasonText = (reason: string) => tOptional(`frontDeskReasons.${reason}`) ?? reason;
