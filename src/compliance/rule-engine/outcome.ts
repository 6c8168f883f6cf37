import { mergeSpans } from './redact';
import type {
  ComplianceNotice,
  Decision,
  Outcome,
  RedactionSpan,
  RuleAction,
  RuleHit,
  TextField,
} from './types';

/**
 * How the hits of a post become one outcome (SPEC §4, docs/compliance.md):
 *
 * | rule action | governing jurisdiction          | any other jurisdiction |
 * |-------------|---------------------------------|------------------------|
 * | BLOCK       | refused at submission           | WITHHOLD there         |
 * | HOLD        | held until a moderator approves | WITHHOLD there         |
 * | FLAG        | published, queued for review    | same                   |
 * | WITHHOLD    | hidden from its viewers         | same                   |
 * | REDACT      | matched text masked for all     | WITHHOLD there         |
 *
 * A non-governing REDACT becomes WITHHOLD because a post has one stored text for every
 * viewer: masking it would apply one country's rule worldwide, which is exactly what a
 * non-governing jurisdiction may not do; hiding the post from that jurisdiction's viewers is
 * the same treatment its BLOCK and HOLD rules get.
 */

const SEVERITY: Readonly<Record<RuleAction, number>> = {
  BLOCK: 5,
  HOLD: 4,
  WITHHOLD: 3,
  REDACT: 2,
  FLAG: 1,
};

export function normalizeJurisdiction(code: string): string {
  return code.trim().toUpperCase();
}

/** The action a rule takes on a post, given whether its jurisdiction governs the post. */
export function effectiveAction(action: RuleAction, governing: boolean): RuleAction {
  if (governing) return action;
  switch (action) {
    case 'BLOCK':
    case 'HOLD':
    case 'REDACT':
    case 'WITHHOLD':
      return 'WITHHOLD';
    case 'FLAG':
      return 'FLAG';
  }
}

/** Combines hits (of one field or several) into the outcome for the post. */
export function decideOutcome(
  hits: readonly RuleHit[],
  governingJurisdictions: readonly string[],
): Outcome {
  const governing = governingJurisdictions.map(normalizeJurisdiction);
  const notices: ComplianceNotice[] = [];
  const withheld: string[] = [];
  const redactionsByField = new Map<TextField | undefined, RedactionSpan[]>();
  let block = false;
  let hold = false;
  let flagged = false;
  for (const hit of hits) {
    const isGoverning = governing.includes(hit.jurisdiction);
    const action = effectiveAction(hit.action, isGoverning);
    switch (action) {
      case 'BLOCK':
        block = true;
        break;
      case 'HOLD':
        hold = true;
        break;
      case 'FLAG':
        flagged = true;
        break;
      case 'WITHHOLD':
        if (!withheld.includes(hit.jurisdiction)) withheld.push(hit.jurisdiction);
        break;
      case 'REDACT': {
        const spans = redactionsByField.get(hit.field) ?? [];
        spans.push({ start: hit.start, end: hit.end });
        redactionsByField.set(hit.field, spans);
        break;
      }
    }
    // Hits are few: a linear scan is cheaper than a keyed map.
    const known = notices.some(
      (notice) =>
        notice.ruleId === hit.ruleId &&
        notice.jurisdiction === hit.jurisdiction &&
        notice.action === action,
    );
    if (!known) {
      notices.push({
        jurisdiction: hit.jurisdiction,
        ruleId: hit.ruleId,
        ruleName: hit.ruleName,
        action,
        ruleAction: hit.action,
        governing: isGoverning,
        legalBasis: hit.legalBasis,
        explanation: hit.explanation,
      });
    }
  }
  const decision: Decision = block ? 'BLOCK' : hold ? 'HOLD' : 'PUBLISH';
  const redactions: RedactionSpan[] = [];
  for (const [field, spans] of redactionsByField) {
    for (const span of mergeSpans(spans)) {
      redactions.push(field === undefined ? span : { ...span, field });
    }
  }
  const sortedNotices = notices.sort(
    (a, b) =>
      SEVERITY[b.action] - SEVERITY[a.action] ||
      compareStrings(a.jurisdiction, b.jurisdiction) ||
      compareStrings(a.ruleName, b.ruleName),
  );
  const withheldIn = withheld.sort();
  return {
    decision,
    flagged,
    redactions,
    withheldIn,
    notices: sortedNotices,
    summary: summarize(decision, sortedNotices, withheldIn, redactions.length, flagged),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The one-line summary of an outcome for review queues. A notice without a jurisdiction (one
 * kept without naming it: ContentPolicy, the author's jurisdiction) is named by its rule name
 * alone.
 */
export function summarize(
  decision: Decision,
  notices: ReadonlyArray<Pick<ComplianceNotice, 'jurisdiction' | 'ruleName' | 'action'>>,
  withheldIn: readonly string[],
  redactionCount: number,
  flagged: boolean,
): string {
  if (notices.length === 0) return 'PUBLISH: no rule matched';
  const reasons = (action: RuleAction): string =>
    notices
      .filter((notice) => notice.action === action)
      .map((notice) =>
        notice.jurisdiction === ''
          ? notice.ruleName
          : `${notice.jurisdiction} "${notice.ruleName}"`,
      )
      .join(', ');
  const parts: string[] = [
    decision === 'PUBLISH' ? 'PUBLISH' : `${decision} by ${reasons(decision)}`,
  ];
  if (withheldIn.length > 0) parts.push(`withheld in ${withheldIn.join(', ')}`);
  if (redactionCount > 0) {
    parts.push(`${redactionCount} span${redactionCount === 1 ? '' : 's'} redacted`);
  }
  if (flagged) parts.push(`flagged for review by ${reasons('FLAG')}`);
  return parts.join('; ');
}
