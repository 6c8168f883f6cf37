/**
 * Jurisdiction codes and their expansion (pure; no Nest, no database).
 *
 * A code is an ISO 3166-1 alpha-2 country (`DE`), a subdivision of one (`US-CA`, ISO 3166-2
 * style) or a group (`EU`). A post is governed by a code, the country of a subdivision, and
 * every group containing either.
 */

/** Country (`DE`), subdivision (`US-CA`) or group (`EU`, up to 8 letters). */
export const JURISDICTION_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$|^[A-Z]{2,8}$/;
const SUBDIVISION = /^([A-Z]{2})-[A-Z0-9]{1,3}$/;

/** Upper-cased and trimmed; null when it is not a well-formed code. */
export function parseJurisdictionCode(code: string): string | null {
  const normalised = code.trim().toUpperCase();
  return JURISDICTION_CODE.test(normalised) ? normalised : null;
}

/** The country of a subdivision (`US-CA` → `US`); null for a country or a group. */
export function countryOf(code: string): string | null {
  return SUBDIVISION.exec(code)?.[1] ?? null;
}

/**
 * The code, its country (for a subdivision) and every group containing either, in that
 * order, without duplicates: `DE` → `[DE, EU]`, `US-CA` → `[US-CA, US]`, `FR-75` →
 * `[FR-75, FR, EU]`. Codes are compared upper-cased; an unknown code expands to itself.
 *
 * @param groupsOf group codes containing a member code (upper-case), e.g. `DE` → `[EU]`
 */
export function expandJurisdiction(
  code: string,
  groupsOf: (member: string) => readonly string[],
): string[] {
  const own = code.trim().toUpperCase();
  if (own === '') return [];
  const country = countryOf(own);
  const result = [own];
  if (country !== null) result.push(country);
  const groups = [...result.flatMap((c) => groupsOf(c))].sort();
  for (const group of groups) if (!result.includes(group)) result.push(group);
  return result;
}
