import { Injectable } from '@nestjs/common';
import type { PostKind } from './content-enforcement.entity';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import type { RuleAction } from '../notices/compliance-notice.model';
import { type CompiledRules, compile, evaluatePost, type Outcome } from '../rule-engine';
import { ActiveRuleSets } from '../rule-sets/active-rule-sets.service';
import { BadUserInputException } from '../../common/errors';
import type { ImpactPreview } from './impact-preview.model';
import { type PastPost, type PastPostCursor, PastPosts } from './past-posts';

/** Posts read per batch while previewing. */
const PREVIEW_BATCH = 500;
/** Largest `limit` a preview takes. */
export const PREVIEW_MAX = 100_000;
const SAMPLES = 20;
const SAMPLE_CHARS = 300;

const outcomeKey = (outcome: Outcome): string =>
  JSON.stringify([
    outcome.decision,
    outcome.flagged,
    outcome.withheldIn,
    outcome.redactions.map((r) => [r.field, r.start, r.end]),
  ]);

const shorten = (text: string): string =>
  text.length <= SAMPLE_CHARS ? text : `${text.slice(0, SAMPLE_CHARS - 1)}…`;

/**
 * `previewRuleSetImpact`: judges past posts (created since `since`, at most `limit`, oldest
 * first, streamed a batch at a time) by today's active rule sets and by the same sets with the
 * version in place of its jurisdiction's active one, and counts the posts whose outcome
 * would change.
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
    const { before, after, ruleIds } = await this.compiledPair(ruleSetId);
    const byAction = new Map<RuleAction, number>();
    const samples: ImpactPreview['samples'] = [];
    let scanned = 0;
    let changed = 0;
    for (const kind of ['THREAD', 'COMMENT'] as PostKind[]) {
      let cursor: PastPostCursor | null = null;
      while (scanned < limit) {
        const batch: PastPost[] = await this.past.batch(
          kind,
          cursor,
          since,
          Math.min(PREVIEW_BATCH, limit - scanned),
        );
        if (batch.length === 0) break;
        for (const post of batch) {
          const context = {
            governingJurisdictions: this.jurisdictions.expand(post.board.jurisdiction),
            boardKind: post.board.kind,
          };
          const text = { title: post.title, body: post.body };
          const now = evaluatePost(before, text, context);
          const then = evaluatePost(after, text, context);
          if (outcomeKey(now.outcome) === outcomeKey(then.outcome)) continue;
          changed++;
          const actions = new Set(
            then.outcome.notices
              .filter((n) => ruleIds.has(n.ruleId))
              .map((n) => n.action as RuleAction),
          );
          for (const action of actions) byAction.set(action, (byAction.get(action) ?? 0) + 1);
          if (samples.length < SAMPLES) {
            const shown = [then.redactedTitle, then.redactedBody]
              .filter((t) => t !== '')
              .join('\n');
            samples.push({
              contentId: post.id,
              before: shorten([post.title ?? '', post.body].filter((t) => t !== '').join('\n')),
              after: shorten(`${then.outcome.summary}\n${shown}`),
            });
          }
        }
        scanned += batch.length;
        const last = batch[batch.length - 1];
        cursor = { createdAt: last.createdAt, id: last.id };
      }
    }
    return {
      scanned,
      changed,
      byAction: [...byAction].map(([action, count]) => ({ action, count })),
      samples,
    };
  }

  /** Today's active sets, and the same with this version in place of its jurisdiction's. */
  private async compiledPair(
    ruleSetId: string,
  ): Promise<{ before: CompiledRules; after: CompiledRules; ruleIds: ReadonlySet<string> }> {
    const version = await this.rules.definitionOf(ruleSetId);
    const active = await this.rules.activeDefinitions();
    return {
      before: this.rules.current().compiled,
      after: compile([...active.filter((d) => d.jurisdiction !== version.jurisdiction), version]),
      ruleIds: new Set(version.rules.map((rule) => rule.id)),
    };
  }
}
