/**
 * The two stores of SPEC §2.8. Identity data (accounts, email indexes, memberships, sessions,
 * roles, sanctions) and content data (boards, threads, comments, votes, reports, review items)
 * never share a database file or schema, so a copy of the content store links nothing to a
 * person.
 */
export const STORES = ['identity', 'content'] as const;
export type StoreName = (typeof STORES)[number];

/** The TypeORM connection names used with @InjectDataSource / @InjectRepository. */
export const IDENTITY_STORE: StoreName = 'identity';
export const CONTENT_STORE: StoreName = 'content';
