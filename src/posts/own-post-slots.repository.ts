import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { OwnPostSlotEntity } from './own-post-slot.entity';

/** The index of members' own posts by keyed slot token (OwnPostSlotEntity). */
@Injectable()
export class OwnPostSlotsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /** The rows of these slot tokens that exist (one query, by primary key). */
  find(tokens: readonly string[], manager?: EntityManager): Promise<OwnPostSlotEntity[]> {
    if (tokens.length === 0) return Promise.resolve([]);
    return (manager ?? this.content.manager).findBy(OwnPostSlotEntity, {
      slotToken: In([...tokens]),
    });
  }

  /**
   * Takes the slot for `postId` unless it is taken — also when another transaction takes it
   * at the same moment (the key decides; the loser inserts nothing and, on PostgreSQL, waits
   * for the winner to commit). True when the slot now holds `postId`.
   */
  async claim(manager: EntityManager, slotToken: string, postId: string): Promise<boolean> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(OwnPostSlotEntity)
      .values({ slotToken, postId })
      .orIgnore()
      .execute();
    const row = await manager.findOneByOrFail(OwnPostSlotEntity, { slotToken });
    return row.postId === postId;
  }
}
