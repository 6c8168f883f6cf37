import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { RetroactiveRunEntity } from './content-enforcement.entity';

/** The runs of retroactive publications: one row per rule set version, with its position. */
@Injectable()
export class RetroactiveRunsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  findByRuleSet(ruleSetId: string, manager?: EntityManager): Promise<RetroactiveRunEntity | null> {
    return (manager ?? this.content.manager).findOneBy(RetroactiveRunEntity, { ruleSetId });
  }

  /** Runs still going (resumed at start-up). */
  findRunning(): Promise<RetroactiveRunEntity[]> {
    return this.content.getRepository(RetroactiveRunEntity).findBy({ status: 'RUNNING' });
  }

  async insert(manager: EntityManager, run: RetroactiveRunEntity): Promise<void> {
    await manager.insert(RetroactiveRunEntity, run);
  }

  /**
   * Moves the run on, only from the position `from` was read at (phase and count scanned);
   * false when another instance moved it first.
   */
  async advance(
    manager: EntityManager,
    from: Pick<RetroactiveRunEntity, 'ruleSetId' | 'phase' | 'scanned'>,
    changes: Partial<RetroactiveRunEntity>,
  ): Promise<boolean> {
    const moved = await manager.update(
      RetroactiveRunEntity,
      { ruleSetId: from.ruleSetId, status: 'RUNNING', phase: from.phase, scanned: from.scanned },
      changes,
    );
    return (moved.affected ?? 0) > 0;
  }
}
