import { createHash } from 'node:crypto';

/** The `prev_hash` of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** The one head row of each store's chain. */
export const HEAD_ID = 'main';

/** What an entry's hash covers (besides the previous hash). */
export interface ChainedFields {
  seq: number;
  at: number;
  actorHandle: string;
  actorRole: string;
  action: string;
  subject: string;
  /** The stored canonical JSON text. */
  detail: string;
}

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** SHA-256 (hex) over the previous hash and the entry's canonical content. */
export function chainHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(
      canonicalJson([
        fields.seq,
        fields.at,
        fields.actorHandle,
        fields.actorRole,
        fields.action,
        fields.subject,
        fields.detail,
      ]),
    )
    .digest('hex');
}
