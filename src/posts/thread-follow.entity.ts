import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Who follows a thread (content store; docs/anonymity.md, "Follows, bookmarks and reply
 * notifications"): one row per follow, keyed by HMAC(content-token key, follow, account,
 * thread), with the thread and a sealed reference of the follower (AES-256-GCM over their
 * seal id, a fresh nonce: unrelated from one follow to the next), through which the
 * identity module reaches them. No account id, no time; without rowid on SQLite, so the
 * file's order follows the token, not the order of following. Unfollowing deletes the row.
 */
@Entity({ name: 'thread_follows', withoutRowid: true })
@Index('idx_thread_follows_thread', ['threadId'])
export class ThreadFollowEntity {
  @PrimaryColumn({ name: 'follow_token', type: 'varchar', length: 64 })
  followToken!: string;

  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @Column({ name: 'sealed_ref', type: 'text' })
  sealedRef!: string;
}
