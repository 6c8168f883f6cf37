import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, EntityNotFoundError } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { insertUnlessTaken } from '../infrastructure/database/insert-unless-taken';
import { ofShape } from '../infrastructure/database/sql-shapes';
import { OwnPostSlotEntity } from './own-post-slot.entity';

/** The index of members' own posts by keyed slot token (OwnPostSlotEntity). */
@Injectable()
export class OwnPostSlotsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /** The rows of these slot tokens that exist (one query, by primary key). */
  find(tokens: readonly string[], manager?: EntityManager): Promise<OwnPostSlotEntity[]> {
    if (tokens.length === 0) return Promise.resolve([]);
    const query = (manager ?? this.content.manager)
      .createQueryBuilder(OwnPostSlotEntity, 's')
      .where('s.slotToken IN (:...tokens)', { tokens: [...tokens] });
    return ofShape(query, 'ownPostSlots.of').getMany();
  }

  /**
   * Takes the slot for `postId` unless it is taken — also when another transaction takes it
   * at the same moment (the key decides; the loser inserts nothing and, on PostgreSQL, waits
   * for the winner to commit). True when the slot now holds `postId`.
   */
  async claim(manager: EntityManager, slotToken: string, postId: string): Promise<boolean> {
    if (await insertUnlessTaken(manager, OwnPostSlotEntity, { slotToken, postId })) return true;
    const query = manager
      .createQueryBuilder(OwnPostSlotEntity, 's')
      .where('s.slotToken = :slotToken', { slotToken });
    const row = await ofShape(query, 'ownPostSlots.holder').getOne();
    if (row === null) throw new EntityNotFoundError(OwnPostSlotEntity, { slotToken });
    return row.postId === postId;
  }
}
