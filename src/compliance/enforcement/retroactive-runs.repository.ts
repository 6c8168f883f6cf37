import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { RetroactiveRunEntity } from './content-enforcement.entity';

/** The runs of retroactive publications: one row per rule set version, with its position. */
@Injectable()
export class RetroactiveRunsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  findByRuleSet(ruleSetId: string, manager?: EntityManager): Promise<RetroactiveRunEntity | null> {
    return (manager ?? this.content.manager).findOneBy(RetroactiveRunEntity, { ruleSetId });
  }

  /** Runs still going. */
  findRunning(): Promise<RetroactiveRunEntity[]> {
    return this.content.getRepository(RetroactiveRunEntity).findBy({ status: 'RUNNING' });
  }

  /** Runs not finished: still going, or stopped by an error (both resumed at start-up). */
  findUnfinished(): Promise<RetroactiveRunEntity[]> {
    return this.content
      .getRepository(RetroactiveRunEntity)
      .findBy({ status: In(['RUNNING', 'FAILED']) });
  }

  /** A run stopped by an error: FAILED (a finished one stays finished). */
  async fail(manager: EntityManager, ruleSetId: string): Promise<boolean> {
    const moved = await manager.update(
      RetroactiveRunEntity,
      { ruleSetId, status: 'RUNNING' },
      { status: 'FAILED', finishedAt: new Date() },
    );
    return (moved.affected ?? 0) > 0;
  }

  /** A failed run going again. */
  async resume(ruleSetId: string): Promise<void> {
    await this.content.manager.update(
      RetroactiveRunEntity,
      { ruleSetId, status: 'FAILED' },
      { status: 'RUNNING', finishedAt: null },
    );
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
