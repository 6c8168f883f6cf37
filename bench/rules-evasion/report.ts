import { CATEGORIES, EVASION_CASES, INNOCENT_CASES } from './corpus';
import { CATEGORY_NAMES, type Rate, type Score } from './score';

/** Detection and false-positive table of the engine and its peers, one column each. */
export function formatScores(scores: readonly Score[]): string[] {
  const rows: [string, string, ...Rate[]][] = [
    ...CATEGORY_NAMES.map((name): [string, string, ...Rate[]] => [
      `${CATEGORIES[name].label}${CATEGORIES[name].difficulty === 'hard' ? ' (hard)' : ''}`,
      String(scores[0].byCategory[name].total),
      ...scores.map((s) => s.byCategory[name]),
    ]),
    [
      'common cases',
      String(scores[0].byDifficulty.common.total),
      ...scores.map((s) => s.byDifficulty.common),
    ],
    [
      'hard cases',
      String(scores[0].byDifficulty.hard.total),
      ...scores.map((s) => s.byDifficulty.hard),
    ],
    ['Chinese cases', String(scores[0].byLanguage.zh.total), ...scores.map((s) => s.byLanguage.zh)],
    ['English cases', String(scores[0].byLanguage.en.total), ...scores.map((s) => s.byLanguage.en)],
    ['German cases', String(scores[0].byLanguage.de.total), ...scores.map((s) => s.byLanguage.de)],
    [
      'DETECTION, all evasion cases',
      String(scores[0].detection.total),
      ...scores.map((s) => s.detection),
    ],
    [
      'FALSE POSITIVES, all innocent texts',
      String(scores[0].falsePositives.total),
      ...scores.map((s) => s.falsePositives),
    ],
    [
      'false positives, Chinese straddling',
      String(scores[0].straddleFalsePositives.total),
      ...scores.map((s) => s.straddleFalsePositives),
    ],
    [
      'false positives, Scunthorpe-style',
      String(scores[0].falsePositivesByKind.scunthorpe.total),
      ...scores.map((s) => s.falsePositivesByKind.scunthorpe),
    ],
  ];
  const cells = rows.map(([label, n, ...rates]) => [label, n, ...rates.map(percent)]);
  const header = ['', 'n', ...scores.map((s) => s.filter)];
  const widths = header.map((h, col) => Math.max(h.length, ...cells.map((row) => row[col].length)));
  const line = (row: readonly string[]) =>
    row
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
