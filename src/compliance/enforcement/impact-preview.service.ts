import { Injectable } from '@nestjs/common';
import type { PostKind } from './content-enforcement.entity';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import type { RuleAction } from '../notices/compliance-notice.model';
import { ActiveRuleSets } from '../rule-sets/active-rule-sets.service';
import { BadUserInputException } from '../../common/errors';
import type { ImpactPreview } from './impact-preview.model';
import { type PastPost, type PastPostCursor, PastPosts } from './past-posts';
import { pastPostChange } from './past-post-change';

/** Posts read per batch while previewing. */
const PREVIEW_BATCH = 500;
/** Largest `limit` a preview takes. */
export const PREVIEW_MAX = 100_000;
const SAMPLES = 20;
const SAMPLE_CHARS = 300;

const shorten = (text: string): string =>
  text.length <= SAMPLE_CHARS ? text : `${text.slice(0, SAMPLE_CHARS - 1)}…`;

/**
 * `previewRuleSetImpact`: judges past posts (created since `since`, at most `limit`, threads
 * then comments, oldest first, streamed a batch at a time) by the version as a retroactive run
 * would, and counts the posts it would change: `pastPostChange`, the one meaning of "changed"
 * the run's record shares (docs/compliance.md). `truncated` when the scan stopped at `limit`
 * with newer posts left.
 */
@Injectable()
export class ImpactPreviewService {
  constructor(
    private readonly rules: ActiveRuleSets,
    private readonly jurisdictions: JurisdictionsService,
    private readonly past: PastPosts,
  ) {}

  async preview(ruleSetId: string, since: Date, limit: number): Promise<ImpactPreview> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX) {
      throw new BadUserInputException(`limit must be 1 to ${PREVIEW_MAX}.`, { fields: ['limit'] });
    }
    if (Number.isNaN(since.getTime())) {
      throw new BadUserInputException('since must be a date.', { fields: ['since'] });
    }
    const version = await this.rules.compileVersion(ruleSetId);
    const byAction = new Map<RuleAction, number>();
    const samples: ImpactPreview['samples'] = [];
    let scanned = 0;
    let changed = 0;
    let truncated = false;
    const kinds: PostKind[] = ['THREAD', 'COMMENT'];
    for (const [index, kind] of kinds.entries()) {
      let cursor: PastPostCursor | null = null;
      for (;;) {
        if (scanned >= limit) {
          // Stopped at `limit`: truncated when a newer post (of this kind or a later one) is left.
          truncated = await this.anyLeft(kinds.slice(index), cursor, since);
          break;
        }
        const batch: PastPost[] = await this.past.batch(
          kind,
          cursor,
          since,
          Math.min(PREVIEW_BATCH, limit - scanned),
        );
        if (batch.length === 0) break;
        for (const post of batch) {
          const change = pastPostChange(version, post, this.jurisdictions);
          if (change === null) continue;
          changed++;
          for (const action of new Set(change.notices.map((n) => n.action))) {
            byAction.set(action, (byAction.get(action) ?? 0) + 1);
          }
          if (samples.length < SAMPLES) {
            const { evaluation } = change;
            const shown = [evaluation.redactedTitle, evaluation.redactedBody]
              .filter((t) => t !== '')
              .join('\n');
            samples.push({
              contentId: post.id,
              before: shorten([post.title ?? '', post.body].filter((t) => t !== '').join('\n')),
              after: shorten(`${evaluation.outcome.summary}\n${shown}`),
            });
          }
        }
        scanned += batch.length;
        const last = batch[batch.length - 1];
        cursor = { createdAt: last.createdAt, id: last.id };
      }
      if (truncated || scanned >= limit) break;
    }
    return {
      scanned,
      changed,
      truncated,
      byAction: [...byAction].map(([action, count]) => ({ action, count })),
      samples,
    };
  }

  /** Whether a post is left after `cursor` in the first of `kinds`, or any in the others. */
  private async anyLeft(
    kinds: readonly PostKind[],
    cursor: PastPostCursor | null,
    since: Date,
  ): Promise<boolean> {
    for (const [index, kind] of kinds.entries()) {
      const next = await this.past.batch(kind, index === 0 ? cursor : null, since, 1);
      if (next.length > 0) return true;
    }
    return false;
  }
}
