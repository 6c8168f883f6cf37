import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { ofShape } from '../../infrastructure/database/sql-shapes';
import { ContentWithholdingEntity } from '../../posts/content-withholding.entity';
import type { ComplianceNotice } from '../notices/compliance-notice.model';
import { RuleAction } from '../notices/compliance-notice.model';
import { ContentNoticeEntity, type PostKind } from './content-enforcement.entity';

/** A post as its compliance records name it. */
export interface RecordedPost {
  readonly id: string;
  readonly kind: PostKind;
  readonly threadId: string;
}

/** What compliance stores about posts: where each is withheld, and the notices of the rules that acted. */
@Injectable()
export class ComplianceRecordsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /** Adds withholdings in the caller's transaction (the caller leaves out existing ones). */
  async insertWithholdings(
    manager: EntityManager,
    post: RecordedPost,
    jurisdictions: readonly string[],
    at: Date,
  ): Promise<void> {
    if (jurisdictions.length === 0) return;
    await manager.insert(
      ContentWithholdingEntity,
      jurisdictions.map((jurisdiction) => ({
        contentId: post.id,
        jurisdiction,
        contentKind: post.kind,
        threadId: post.threadId,
        createdAt: at,
      })),
    );
  }

  /** Adds notices in the caller's transaction. */
  async insertNotices(
    manager: EntityManager,
    contentId: string,
    notices: readonly ComplianceNotice[],
    at: Date,
  ): Promise<void> {
    if (notices.length === 0) return;
    await manager.insert(
      ContentNoticeEntity,
      notices.map((notice) => ({ id: randomUUID(), contentId, createdAt: at, ...notice })),
    );
  }

  /** The jurisdictions where the post is withheld, in the caller's transaction. */
  async withholdingsOf(manager: EntityManager, contentId: string): Promise<Set<string>> {
    const rows = await manager.findBy(ContentWithholdingEntity, { contentId });
    return new Set(rows.map((row) => row.jurisdiction));
  }

  /** The jurisdictions each of `contentIds` is withheld in (those withheld nowhere left out). */
  async withholdingsOfMany(contentIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    if (contentIds.length === 0) return result;
    const rows = await this.content.manager.findBy(ContentWithholdingEntity, {
      contentId: In([...contentIds]),
    });
    for (const row of rows) {
      const codes = result.get(row.contentId) ?? new Set<string>();
      codes.add(row.jurisdiction);
      result.set(row.contentId, codes);
    }
    return result;
  }

  /** Removes the post's withholdings and notices, in the caller's transaction. */
  async forget(manager: EntityManager, contentId: string): Promise<void> {
    await manager.delete(ContentWithholdingEntity, { contentId });
    await manager.delete(ContentNoticeEntity, { contentId });
  }

  /** Of `contentIds`, those withheld in any of `jurisdictions`. */
  async withheld(
    contentIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Set<string>> {
    if (contentIds.length === 0 || jurisdictions.length === 0) return new Set();
    const query = this.content
      .getRepository(ContentWithholdingEntity)
      .createQueryBuilder('w')
      .select('w.contentId', 'contentId')
      .where('w.contentId IN (:...contentIds)', { contentIds: [...contentIds] })
      .andWhere('w.jurisdiction IN (:...jurisdictions)', { jurisdictions: [...jurisdictions] });
    const rows = await ofShape(query, 'withholdings.withheldIn').getRawMany<{
      contentId: string;
    }>();
    return new Set(rows.map((row) => row.contentId));
  }

  /** Per thread, how many of its comments are withheld in any of `jurisdictions`. */
  async withheldCommentCounts(
    threadIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Map<string, number>> {
    if (threadIds.length === 0 || jurisdictions.length === 0) return new Map();
    const query = this.content
      .getRepository(ContentWithholdingEntity)
      .createQueryBuilder('w')
      .select('w.threadId', 'threadId')
      .addSelect('COUNT(DISTINCT w.contentId)', 'count')
      .where('w.threadId IN (:...threadIds)', { threadIds })
      .andWhere('w.jurisdiction IN (:...jurisdictions)', { jurisdictions })
      .andWhere("w.contentKind = 'COMMENT'")
      .groupBy('w.threadId');
    const rows = await ofShape(query, 'withholdings.commentCounts').getRawMany<{
      threadId: string;
      count: string | number;
    }>();
    return new Map(rows.map((row) => [row.threadId, Number(row.count)]));
  }

  /** Notices per post, oldest first. */
  async noticesOf(contentIds: readonly string[]): Promise<Map<string, ComplianceNotice[]>> {
    const result = new Map<string, ComplianceNotice[]>();
    if (contentIds.length === 0) return result;
    const rows = await this.content.getRepository(ContentNoticeEntity).find({
      where: { contentId: In([...contentIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const row of rows) {
      const list = result.get(row.contentId) ?? [];
      list.push({
        jurisdiction: row.jurisdiction,
        ruleName: row.ruleName,
        action: row.action as RuleAction,
        legalBasis: row.legalBasis,
        explanation: row.explanation,
      });
      result.set(row.contentId, list);
    }
    return result;
  }
}
