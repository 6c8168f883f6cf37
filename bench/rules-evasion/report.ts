import { CATEGORIES, EVASION_CASES, INNOCENT_CASES } from './corpus';
import { CATEGORY_NAMES, type Rate, type Score } from './score';

/** Detection and false-positive table of the engine and its peers, one column each. */
export function formatScores(scores: readonly Score[]): string[] {
  const row = (label: string, pick: (score: Score) => Rate): [string, string, ...Rate[]] => [
    label,
    String(pick(scores[0]).total),
    ...scores.map(pick),
  ];
  const rows = [
    ...CATEGORY_NAMES.map((name) =>
      row(
        `${CATEGORIES[name].label}${CATEGORIES[name].difficulty === 'hard' ? ' (hard)' : ''}`,
        (s) => s.byCategory[name],
      ),
    ),
    row('common cases', (s) => s.byDifficulty.common),
    row('hard cases', (s) => s.byDifficulty.hard),
    row('Chinese cases', (s) => s.byLanguage.zh),
    row('English cases', (s) => s.byLanguage.en),
    row('German cases', (s) => s.byLanguage.de),
    row('DETECTION, all evasion cases', (s) => s.detection),
    row('FALSE POSITIVES, all innocent texts', (s) => s.falsePositives),
    row('false positives, Chinese straddling', (s) => s.straddleFalsePositives),
    row('false positives, Scunthorpe-style', (s) => s.falsePositivesByKind.scunthorpe),
  ];
  const cells = rows.map(([label, n, ...rates]) => [label, n, ...rates.map(percent)]);
  const header = ['', 'n', ...scores.map((s) => s.filter)];
  const widths = header.map((h, col) => Math.max(h.length, ...cells.map((r) => r[col].length)));
  const line = (texts: readonly string[]) =>
    texts
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])))
      .join('  ');
  return [
    `Evasion corpus: ${EVASION_CASES.length} evasion cases, ${INNOCENT_CASES.length} innocent texts ` +
      '(bench/rules-evasion); share of cases flagged',
    line(header),
    ...cells.map(line),
  ];
}

function percent(rate: Rate): string {
  return `${(rate.rate * 100).toFixed(1)}%`;
}

/** The scores without the case lists, rates in percent with one decimal, for the JSON line. */
export function scoreSummary(score: Score): Record<string, unknown> {
  const pct = (rate: Rate) => Math.round(rate.rate * 1000) / 10;
  const map = (rates: Readonly<Record<string, Rate>>) =>
    Object.fromEntries(Object.entries(rates).map(([key, rate]) => [key, pct(rate)]));
  return {
    detectionPct: pct(score.detection),
    byCategoryPct: map(score.byCategory),
    byDifficultyPct: map(score.byDifficulty),
    byLanguagePct: map(score.byLanguage),
    falsePositivePct: pct(score.falsePositives),
    straddleFalsePositivePct: pct(score.straddleFalsePositives),
    falsePositiveByKindPct: map(score.falsePositivesByKind),
  };
}
