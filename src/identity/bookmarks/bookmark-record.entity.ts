import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A member's bookmarks (identity store; docs/anonymity.md, "Follows and bookmarks"): one row
 * per account holding the bookmarked thread ids, newest first, sealed with AES-256-GCM under
 * the `bookmarks` key and bound to the account, padded to a size bucket so its length does
 * not tell how many. No time and no row per bookmark: the table says which accounts ever
 * bookmarked something, not what or when. Without rowid on SQLite; goes with the account.
 */
@Entity({ name: 'bookmark_records', withoutRowid: true })
export class BookmarkRecordEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'text' })
  payload!: string;
}
