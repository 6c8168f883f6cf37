import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { BoardEntity } from './board.entity';

const PUBLIC_BOARDS_LIMIT = 200;

@Injectable()
export class BoardsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  findById(id: string): Promise<BoardEntity | null> {
    return this.content.getRepository(BoardEntity).findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<BoardEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.content.getRepository(BoardEntity).findBy({ id: In([...ids]) });
  }

  findBySlug(slug: string): Promise<BoardEntity | null> {
    return this.content.getRepository(BoardEntity).findOneBy({ slug });
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
