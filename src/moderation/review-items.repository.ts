import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { CommentEntity } from '../posts/comment.entity';
import { ThreadEntity } from '../posts/thread.entity';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { ReportEntity, ReviewEventEntity, ReviewItemEntity } from './review.entity';
import { type ReviewKind, ReviewQueueOrder, ReviewStatus } from './review-enums';
import { containsPattern } from '../common/like-pattern';

/** Where a queue page starts: after this item in the page's order. */
export interface QueueCursor {
  priority: number;
  queuedAt: number;
  id: string;
}

export interface QueueFilterQuery {
  status: ReviewStatus;
  kind: ReviewKind | null;
  companyId: string | null;
  jurisdiction: string | null;
  boardKind: string | null;
  /** Lower-case words to find in the post or the item's summaries (LIKE, wildcards escaped). */
  search: string | null;
}

export interface QueueQuery extends QueueFilterQuery {
  order: ReviewQueueOrder;
  after: QueueCursor | null;
  limit: number;
}

/** Data access of review items, their history and reports (content store). */
@Injectable()
export class ReviewItemsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  findById(id: string, manager?: EntityManager): Promise<ReviewItemEntity | null> {
    return (manager ?? this.content.manager).findOneBy(ReviewItemEntity, { id });
  }

  findByIds(ids: readonly string[]): Promise<ReviewItemEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.content.getRepository(ReviewItemEntity).findBy({ id: In([...ids]) });
  }

  findFor(
    contentId: string,
    kind: ReviewKind,
    manager?: EntityManager,
  ): Promise<ReviewItemEntity | null> {
    return (manager ?? this.content.manager).findOneBy(ReviewItemEntity, { contentId, kind });
  }

  /** The content's most recent decided item that removed it (what an appeal is about). */
  async lastRemoval(contentId: string, manager: EntityManager): Promise<ReviewItemEntity | null> {
    return manager
      .getRepository(ReviewItemEntity)
      .createQueryBuilder('r')
      .where('r.contentId = :contentId', { contentId })
      .andWhere("r.kind <> 'APPEAL'")
      .andWhere("r.decision = 'REJECT'")
      .orderBy('r.decidedAt', 'DESC')
      .getOne();
  }

  /**
   * Creates the (content, kind) item unless it exists — also when another transaction creates
   * it at the same moment (the unique key decides; the loser inserts nothing) — then locks it
   * for the rest of the transaction and returns it.
   */
  async upsertAndLock(
    manager: EntityManager,
    fresh: ReviewItemEntity,
  ): Promise<{ item: ReviewItemEntity; created: boolean }> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ReviewItemEntity)
      .values(fresh)
      .orIgnore()
      .execute();
    const item = await this.lock(manager, fresh.contentId, fresh.kind);
    if (item === null) throw new Error('review item vanished inside its transaction');
    // Ours was written exactly when the row found carries our id.
    return { item, created: item.id === fresh.id };
  }

  /** Locks an item (a no-op UPDATE takes PostgreSQL's row lock; SQLite writes are serialised). */
  async lock(
    manager: EntityManager,
    contentId: string,
    kind: ReviewKind,
  ): Promise<ReviewItemEntity | null> {
    await manager
      .createQueryBuilder()
      .update(ReviewItemEntity)
      .set({ version: () => 'version' })
      .where('content_id = :contentId AND kind = :kind', { contentId, kind })
      .execute();
    return this.findFor(contentId, kind, manager);
  }

  async lockById(manager: EntityManager, id: string): Promise<ReviewItemEntity | null> {
    await manager
      .createQueryBuilder()
      .update(ReviewItemEntity)
      .set({ version: () => 'version' })
      .where('id = :id', { id })
      .execute();
    return this.findById(id, manager);
  }

  async save(manager: EntityManager, item: ReviewItemEntity): Promise<void> {
    const { id, ...changes } = item;
    await manager.update(ReviewItemEntity, { id }, changes);
  }

  async addEvent(
    manager: EntityManager,
    itemId: string,
    action: string,
    actorHandle: string | null = null,
    note: string | null = null,
  ): Promise<void> {
    await manager.insert(ReviewEventEntity, {
      id: randomUUID(),
      itemId,
      at: new Date(),
      action,
      actorHandle,
      note,
    });
  }

  async history(itemIds: readonly string[]): Promise<ReviewEventEntity[]> {
    if (itemIds.length === 0) return [];
    return this.content.getRepository(ReviewEventEntity).find({
      where: { itemId: In([...itemIds]) },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  /** Inserts the report unless this person already reported the content; true if inserted. */
  async insertReport(manager: EntityManager, report: ReportEntity): Promise<boolean> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ReportEntity)
      .values(report)
      .orIgnore()
      .execute();
    const stored = await manager.findOneBy(ReportEntity, {
      contentId: report.contentId,
      reporterToken: report.reporterToken,
    });
    return stored?.id === report.id;
  }

  /** The reports of these posts, oldest first (the unique key's index leads with the post). */
  reportsOf(contentIds: readonly string[]): Promise<ReportEntity[]> {
    if (contentIds.length === 0) return Promise.resolve([]);
    return this.content.getRepository(ReportEntity).find({
      where: { contentId: In([...contentIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  pendingReports(manager: EntityManager, contentId: string): Promise<ReportEntity[]> {
    return manager
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where('r.contentId = :contentId', { contentId })
      .andWhere('r.outcome IS NULL')
      .getMany();
  }

  async settleReports(
    manager: EntityManager,
    ids: readonly string[],
    outcome: string,
  ): Promise<void> {
    if (ids.length > 0) await manager.update(ReportEntity, { id: In([...ids]) }, { outcome });
  }

  /** How many items the filter matches, all pages: one COUNT on the queue's index. */
  queueCount(query: QueueFilterQuery): Promise<number> {
    return this.filtered(query).getCount();
  }

  /**
   * Per kind, the items waiting in the queue and the queue time of the oldest (epoch ms): one
   * grouped query over the pending items, found by the queue's index (in_queue, status, …).
   */
  async queueBacklog(): Promise<Array<{ kind: ReviewKind; pending: number; oldest: number }>> {
    const rows = await this.content
      .getRepository(ReviewItemEntity)
      .createQueryBuilder('r')
      .select('r.kind', 'kind')
      .addSelect('COUNT(*)', 'pending')
      .addSelect('MIN(r.queuedAt)', 'oldest')
      .where('r.inQueue = :inQueue', { inQueue: true })
      .andWhere('r.status = :status', { status: ReviewStatus.PENDING })
      .groupBy('r.kind')
      .getRawMany<{ kind: ReviewKind; pending: number | string; oldest: number | string }>();
    // PostgreSQL answers COUNT and MIN of a bigint as strings.
    return rows.map((row) => ({
      kind: row.kind,
      pending: Number(row.pending),
      oldest: Number(row.oldest),
    }));
  }

  /** The jurisdictions of the items the filter matches, each once, in code order. */
  async queueJurisdictions(query: QueueFilterQuery): Promise<string[]> {
    const rows = await this.filtered(query)
      .select('DISTINCT r.jurisdiction', 'jurisdiction')
      .orderBy('jurisdiction', 'ASC')
      .getRawMany<{ jurisdiction: string }>();
    return rows.map((row) => row.jurisdiction);
  }

  /** The queue's items matching a filter, unordered. */
  private filtered(query: QueueFilterQuery): SelectQueryBuilder<ReviewItemEntity> {
    const q = this.content
      .getRepository(ReviewItemEntity)
      .createQueryBuilder('r')
      .where('r.status = :status', { status: query.status });
    // Pending: what is in the queue now; decided: what went through it.
    if (query.status === ReviewStatus.PENDING)
      q.andWhere('r.inQueue = :inQueue', { inQueue: true });
    else q.andWhere('r.queuedAt IS NOT NULL');
    if (query.kind !== null) q.andWhere('r.kind = :kind', { kind: query.kind });
    if (query.companyId !== null)
      q.andWhere('r.companyId = :companyId', { companyId: query.companyId });
    if (query.jurisdiction !== null) {
      q.andWhere('r.jurisdiction = :jurisdiction', { jurisdiction: query.jurisdiction });
    }
    if (query.boardKind !== null)
      q.andWhere('r.boardKind = :boardKind', { boardKind: query.boardKind });
    if (query.search !== null) {
      const like = containsPattern(query.search);
      const matches = (column: string) => `LOWER(${column}) LIKE :search ESCAPE '\\'`;
      const thread = q
        .subQuery()
        .select('1')
        .from(ThreadEntity, 't')
        .where('t.id = r.contentId')
        .andWhere(`(${matches('t.title')} OR ${matches('t.body')})`)
        .getQuery();
      const comment = q
        .subQuery()
        .select('1')
        .from(CommentEntity, 'c')
        .where('c.id = r.contentId')
        .andWhere(matches('c.body'))
        .getQuery();
      // The summaries of the item's reasons, not the rest of their JSON (kinds, keys).
      const summaries =
        this.content.options.type === 'postgres'
          ? `EXISTS (SELECT 1 FROM json_array_elements(CAST(r.reasons AS json)) s WHERE ${matches("s.value->>'summary'")})`
          : `EXISTS (SELECT 1 FROM json_each(r.reasons) s WHERE ${matches("json_extract(s.value, '$.summary')")})`;
      q.andWhere(
        `(${summaries} OR (r.contentKind = 'THREAD' AND EXISTS ${thread}) OR (r.contentKind = 'COMMENT' AND EXISTS ${comment}))`,
        { search: like },
      );
    }
    return q;
  }

  /** One page of the queue in the asked order (keyset on the order's index). */
  queuePage(query: QueueQuery): Promise<ReviewItemEntity[]> {
    const q = this.filtered(query);
    const after = query.after;
    if (query.order === ReviewQueueOrder.PRIORITY) {
      if (after !== null) {
        q.andWhere(
          '(r.priority < :p OR (r.priority = :p AND (r.queuedAt > :q OR (r.queuedAt = :q AND r.id > :i))))',
          { p: after.priority, q: after.queuedAt, i: after.id },
        );
      }
      q.orderBy('r.priority', 'DESC').addOrderBy('r.queuedAt', 'ASC');
    } else {
      if (after !== null) {
        q.andWhere('(r.queuedAt > :q OR (r.queuedAt = :q AND r.id > :i))', {
          q: after.queuedAt,
          i: after.id,
        });
      }
      q.orderBy('r.queuedAt', 'ASC');
    }
    return q
      .addOrderBy('r.id', 'ASC')
      .limit(query.limit + 1)
      .getMany();
  }
}
