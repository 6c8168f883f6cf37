import { Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infrastructure/database/columns';

/**
 * An address that may not sign up or verify an employer until `expiresAt`, because the
 * account that held it was banned or suspended when it was deleted. The entry is
 * `HMAC(ban-list key, blind index of the address)`: it equals no account's or membership's
 * index, and names no account, sanction or post. No rowid on SQLite, and a day for the only
 * time, so neither the file's order nor the time tells when the account was deleted.
 */
@Entity({ name: 'ban_list', withoutRowid: true })
export class BanEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  entry!: string;

  /** A UTC midnight: the end of the suspension, or BAN_LIST_DAYS after the deletion of a banned account. */
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
