import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * A member's bookmarks (identity store; docs/anonymity.md, "Follows and bookmarks"): one row
 * per account holding the bookmarked thread ids, newest first, sealed with AES-256-GCM under
 * the `bookmarks` key and bound to the account, padded to a size bucket so its length does
 * not tell how many. No row per bookmark and no time but the UTC day of the last change
 * (which PostgreSQL's re-stamping needs, docs/anonymity.md): the table says which accounts
 * bookmarked something and on which day they last changed it, not what, how many or when in
 * the day. Without rowid on SQLite; goes with the account.
 */
@Entity({ name: 'bookmark_records', withoutRowid: true })
export class BookmarkRecordEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'text' })
  payload!: string;

  /** The UTC day (00:00) of the last change. */
  @TimestampColumn({ name: 'changed_on' })
  changedOn!: Date;
}
