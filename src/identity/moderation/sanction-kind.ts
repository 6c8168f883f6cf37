import { registerEnumType } from '@nestjs/graphql';

/**
 * What a moderator may do to the person behind a post (SPEC §5). Shared by the identity side
 * (which stores and enforces sanctions) and moderation (whose decisions request them).
 */
export enum SanctionKind {
  /** Recorded and told to the person; never blocks anything. */
  WARNING = 'WARNING',
  /** No posting, commenting or voting for 1–3650 days. */
  SUSPENSION = 'SUSPENSION',
  /** No posting, commenting or voting, for good (until lifted on appeal). */
  BAN = 'BAN',
}

registerEnumType(SanctionKind, {
  name: 'SanctionKind',
  description: 'WARNING (no restriction), SUSPENSION (for N days) or BAN (permanent).',
  valuesMap: {
    WARNING: { description: 'Recorded and told to the person; never blocks anything.' },
    SUSPENSION: { description: 'No posting, commenting or voting for 1 to 3650 days.' },
    BAN: { description: 'No posting, commenting or voting, for good (until lifted on appeal).' },
  },
});
