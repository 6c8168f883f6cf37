import type { RuleNotice } from './content-policy.service';
import type { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import type { RuleAction } from '../notices/compliance-notice.model';
import { type CompiledRules, evaluatePost, type PostEvaluation } from '../rule-engine';
import type { PastPost } from './past-posts';

/** What applying a version retroactively does to one past post. */
export interface PastPostChange {
  readonly hold: boolean;
  readonly flag: boolean;
  readonly withheldIn: readonly string[];
  readonly notices: RuleNotice[];
  /** The version's evaluation (its redacted title and body, for previews). */
  readonly evaluation: PostEvaluation;
}

/** Judges an already published post by one version alone, its board's jurisdiction governing. */
export function judgePast(evaluation: PostEvaluation): PastPostChange | null {
  const { outcome } = evaluation;
  // A governing BLOCK cannot refuse what is already published: the post is held instead.
  const hold = outcome.decision !== 'PUBLISH';
  if (!hold && !outcome.flagged && outcome.withheldIn.length === 0) return null;
  const notices: RuleNotice[] = outcome.notices
    .filter((n) => n.action !== 'REDACT')
    .map((n) => ({
      ruleId: n.ruleId,
      jurisdiction: n.jurisdiction,
      ruleName: n.ruleName,
      action: (hold && n.action === 'BLOCK' ? 'HOLD' : n.action) as RuleAction,
      legalBasis: n.legalBasis,
      explanation: n.explanation,
    }));
  return { hold, flag: outcome.flagged, withheldIn: outcome.withheldIn, notices, evaluation };
}

/**
 * The one meaning of "changed" that impact previews (`ImpactPreview.changed`) and retroactive
 * runs (`RetroactiveRun.changed`) share (docs/compliance.md, "What “changed” means"): a past
 * (published) post is changed when the version alone (compiled by itself), its board's
 * jurisdiction governing, would hold it, flag it (a review is requested), or withhold it in a
 * jurisdiction it is not withheld in yet — what a retroactive run does to it. A post the
 * version would only withhold where it already is withheld is unchanged, and REDACT matches do
 * not count (stored text is not rewritten). Null: unchanged; the run leaves it alone.
 */
export function pastPostChange(
  version: CompiledRules,
  post: PastPost,
  jurisdictions: Pick<JurisdictionsService, 'expand'>,
): PastPostChange | null {
  const change = judgePast(
    evaluatePost(
      version,
      { title: post.title, body: post.body },
      {
        governingJurisdictions: jurisdictions.expand(post.board.jurisdiction),
        boardKind: post.board.kind,
      },
    ),
  );
  if (change === null || change.hold || change.flag) return change;
  return change.withheldIn.some((code) => !post.withheldIn.has(code)) ? change : null;
}
