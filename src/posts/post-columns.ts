import { Column, type EntityManager, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../infrastructure/database/columns';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import type { Touched, TransactionRunner } from '../infrastructure/database/transaction-runner';
import { isUniqueViolation } from '../infrastructure/database/unique-violation';
import { ContentStatus } from './content-status';

/**
 * The columns threads and comments share (content store). The author is present only as a
 * stored handle and label, a keyed author token (same person in the same thread → same
 * token) and a sealed reference; never an account id.
 */
export abstract class PostColumns {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'author_handle', type: 'varchar', length: 64 })
  authorHandle!: string;

  @Column({ name: 'author_label', type: 'varchar', length: 200 })
  authorLabel!: string;

  @Column({ name: 'author_token', type: 'varchar', length: 64 })
  authorToken!: string;

  @Column({ name: 'sealed_ref', type: 'varchar', length: 255 })
  sealedRef!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ContentStatus;

  @CountColumn()
  score!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'edited_at', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true, unique: true })
  idempotencyKey!: string | null;
}

/**
 * What a new post stores about its author: no account id, only these values (and a handle,
 * claimed in the post's transaction: handles are unique within a thread).
 */
export interface PostAuthor {
  label: string;
  /** Set when the requested employer disclosure was lowered (k-anonymity), to tell the author. */
  labelNotice: string | null;
  /** HMAC(author, account, thread): equal for one person within one thread. */
  token: string;
  sealedRef: string;
}
/** The shared columns of a new, published post by `author`. */
export function newPostColumns(
  id: string,
  body: string,
  author: PostAuthor,
  handle: string,
  idempotencyKey: string | null,
  createdAt = new Date(),
): PostColumns {
  return {
    id,
    body,
    authorHandle: handle,
    authorLabel: author.label,
    authorToken: author.token,
    sealedRef: author.sealedRef,
    status: ContentStatus.PUBLISHED,
    score: 0,
    createdAt,
    editedAt: null,
    idempotencyKey,
  };
}

/**
 * Stores a new post once per idempotency key (SPEC §3): a retry finds the first row in the
 * transaction, and a concurrent retry that loses the race on the unique key reads the winner's
 * row. Otherwise `insert` builds and stores the post in the transaction (where its author's
 * handle is claimed). `created` tells whether this call stored it. `touched` is what storing it
 * changes (the transaction's Touched; a retry that finds the first row changes nothing).
 */
export async function insertPostOnce<T extends PostColumns>(
  transactions: TransactionRunner,
  key: string | null,
  findByIdempotencyKey: (key: string, manager?: EntityManager) => Promise<T | null>,
  insert: (manager: EntityManager) => Promise<T>,
  touched: Touched,
): Promise<{ stored: T; created: boolean }> {
  try {
    return await transactions.run(
      CONTENT_STORE,
      async (manager) => {
        const first = key === null ? null : await findByIdempotencyKey(key, manager);
        if (first !== null) return { stored: first, created: false };
        return { stored: await insert(manager), created: true };
      },
      ({ created }) => (created ? touched : {}),
    );
  } catch (error) {
    const first = key !== null && isUniqueViolation(error) ? await findByIdempotencyKey(key) : null;
    if (first === null) throw error;
    return { stored: first, created: false };
  }
}
