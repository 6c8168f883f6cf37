import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { BanEntryEntity } from './ban-entry.entity';

/** Ban-list entries: keyed address indexes and when they lapse (identity store). */
@Injectable()
export class BanListRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  /** Entries that expired before `now`, in the caller's transaction if given. */
  async deleteExpired(now: Date, manager?: EntityManager): Promise<void> {
    await (manager ?? this.identity.manager).delete(BanEntryEntity, { expiresAt: LessThan(now) });
  }

  findByEntry(manager: EntityManager, entry: string): Promise<BanEntryEntity | null> {
    return manager.findOneBy(BanEntryEntity, { entry });
  }

  /** Lists the entry until `expiresAt` (a new entry, or a listed one kept longer). */
  async save(manager: EntityManager, entry: BanEntryEntity): Promise<void> {
    await manager.save(BanEntryEntity, entry);
  }

  /** How many of `entries` are listed and not expired at `now`. */
  countListed(entries: readonly string[], now: Date): Promise<number> {
    return this.identity
      .getRepository(BanEntryEntity)
      .countBy({ entry: In([...entries]), expiresAt: MoreThan(now) });
  }
}
