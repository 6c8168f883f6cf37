import taxonomy from './reason-codes.json';

/** A reason code a moderator removes content with (data file `reason-codes.json`). */
export interface ReasonCode {
  readonly code: string;
  /** The EU DSA statement-of-reasons category it belongs to. */
  readonly category: string;
  /** Shown to the author in the statement of reasons. */
  readonly label: string;
}

export const REASON_CODES: readonly ReasonCode[] = taxonomy.codes;
const BY_CODE = new Map(REASON_CODES.map((reason) => [reason.code, reason]));

export function reasonCode(code: string): ReasonCode | undefined {
  return BY_CODE.get(code);
}
