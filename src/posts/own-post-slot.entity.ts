import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The index of a member's own posts (content store; docs/anonymity.md, "Own posts"): one row
 * per post, keyed by a slot token HMAC(content-token key, own-thread | own-comment, account,
 * n), where n counts that member's threads (or comments) from 0. Without the key the tokens
 * are unrelated values: they link no two posts and name no account. Without rowid on SQLite,
 * so the file's order follows the token, not the order of writing.
 */
@Entity({ name: 'own_post_slots', withoutRowid: true })
export class OwnPostSlotEntity {
  @PrimaryColumn({ name: 'slot_token', type: 'varchar', length: 64 })
  slotToken!: string;

  @Column({ name: 'post_id', type: 'varchar', length: 36 })
  postId!: string;
}
