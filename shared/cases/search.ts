import { parsePersonalIdentityNumber } from '../identity/personal-identity-number.js';
import { swedishDay } from '../time.js';
import { parseReference } from './reference.js';

/**
 * What a search text is (CONTRACT.md v1.1, "Case reference and search"): a case reference or a
 * personal identity number in any accepted form finds exactly that case; any other text is the
 * start of a given or family name.
 */
export type SearchQuery =
  | { kind: 'reference'; reference: string }
  | { kind: 'identity'; normalised: string }
  | { kind: 'name'; prefix: string };

const foldCase = (text: string) => text.normalize('NFC').toLocaleLowerCase('sv-SE');

export function classifySearch(text: string, now: Date): SearchQuery {
  const reference = parseReference(text);
  if (reference) return { kind: 'reference', reference };
  const identity = parsePersonalIdentityNumber(text.trim(), swedishDay(now));
  if (identity.ok) return { kind: 'identity', normalised: identity.value.normalised };
  return { kind: 'name', prefix: foldCase(text.trim().replace(/\s+/g, ' ')) };
}

/** A name matches when its given name, family name or whole name starts with the prefix, in any case. */
export function nameMatches(prefix: string, person: { givenName: string; familyName: string }): boolean {
  const given = foldCase(person.givenName);
  const family = foldCase(person.familyName);
  return given.startsWith(prefix) || family.startsWith(prefix) || `${given} ${family}`.startsWith(prefix);
}

/** How many list entries a name search reads at most: a search never reads a whole table. */
export const NAME_SEARCH_SCAN_LIMIT = 2000;
