import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { BoardEntity } from './board.entity';

const PUBLIC_BOARDS_LIMIT = 200;
/** Boards kept in memory by id and by slug (each entry a few hundred bytes). */
const CACHED_BOARDS = 10_000;

/**
 * Boards are never changed or deleted once created, so a board read by id or slug is kept in
 * memory: every feed and thread request starts with its board, and each TypeORM lookup cost
 * about as much CPU as the rest of a small request (docs/performance.md). The cache is
 * correct on any number of instances (an absent board is never cached).
 */
@Injectable()
export class BoardsRepository {
  private readonly byId = new LRUCache<string, BoardEntity>({ max: CACHED_BOARDS });
  private readonly bySlug = new LRUCache<string, BoardEntity>({ max: CACHED_BOARDS });

  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  async findById(id: string): Promise<BoardEntity | null> {
    const cached = this.byId.get(id);
    if (cached !== undefined) return cached;
    return this.remember(await this.content.getRepository(BoardEntity).findOneBy({ id }));
  }

  findByIds(ids: readonly string[]): Promise<BoardEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.content.getRepository(BoardEntity).findBy({ id: In([...ids]) });
  }

  async findBySlug(slug: string): Promise<BoardEntity | null> {
    const cached = this.bySlug.get(slug);
    if (cached !== undefined) return cached;
    return this.remember(await this.content.getRepository(BoardEntity).findOneBy({ slug }));
  }

  private remember(board: BoardEntity | null): BoardEntity | null {
    if (board !== null) {
      this.byId.set(board.id, board);
      this.bySlug.set(board.slug, board);
    }
    return board;
  }

  findByCompany(companyId: string, manager?: EntityManager): Promise<BoardEntity | null> {
    return (manager ?? this.content.manager).findOneBy(BoardEntity, { companyId });
  }

  findByCompanies(companyIds: readonly string[]): Promise<BoardEntity[]> {
    if (companyIds.length === 0) return Promise.resolve([]);
    return this.content
      .getRepository(BoardEntity)
      .find({ where: { companyId: In([...companyIds]) }, order: { name: 'ASC' } });
  }

  findPublicBoards(): Promise<BoardEntity[]> {
    return this.content
      .getRepository(BoardEntity)
      .find({ where: { kind: 'PUBLIC' }, order: { name: 'ASC' }, take: PUBLIC_BOARDS_LIMIT });
  }

  async slugTaken(manager: EntityManager, slug: string): Promise<boolean> {
    return (await manager.countBy(BoardEntity, { slug })) > 0;
  }

  async insert(manager: EntityManager, board: BoardEntity): Promise<void> {
    await manager.insert(BoardEntity, board);
  }
}
