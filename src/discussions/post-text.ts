import { InvalidContentException } from './discussions.exception';

export const TITLE_MAX = 200;
export const THREAD_BODY_MAX = 20_000;
export const COMMENT_BODY_MAX = 10_000;
const CLIENT_MUTATION_ID_MAX = 200;

/**
 * Text as stored: NFC-normalised, NUL characters dropped, surrounding whitespace trimmed,
 * 1..max characters (code points). The server stores and returns plain text; clients render
 * it (Markdown, safely) — no HTML is produced here.
 */
export function postText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').replaceAll('\u0000', '').trim();
  const length = [...text].length;
  if (length === 0 || length > max) {
    throw new InvalidContentException(`${field} must be 1 to ${max} characters.`, field);
  }
  return text;
}

export function clientMutationId(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (value.length === 0 || value.length > CLIENT_MUTATION_ID_MAX) {
    throw new InvalidContentException(
      `clientMutationId must be 1 to ${CLIENT_MUTATION_ID_MAX} characters.`,
      'clientMutationId',
    );
  }
  return value;
}
