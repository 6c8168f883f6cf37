import { useEffect, useRef, useState } from 'preact/hooks';
import type { CountBy } from './api';
import { DAY_MS, niceScale, type Period } from './periods';

export interface ChartPeriod extends Period {
  counts: CountBy[];
}

/** At least 4.5:1 against white each, and told apart by hue and lightness. */
const PALETTE = ['#0b57d0', '#b3261e', '#146c2e', '#8a4b00', '#6a1b9a', '#00697f', '#ad1457'];
const OTHER_COLOUR = '#4f5660';
const OTHER = 'Other';
const HEIGHT = 260;
const MARGIN = { top: 12, right: 8, bottom: 40, left: 44 };

const dayLabel = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The period as people read it: first and last day included. */
const periodLabel = (p: Period) =>
  p.to - p.from <= DAY_MS ? dayLabel(p.from) : `${dayLabel(p.from)} – ${dayLabel(p.to - DAY_MS)}`;

/** Width of the element, following resizes (the SVG is drawn at its real pixel size). */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * A stacked bar chart, hand-written SVG: one bar per period, one segment per jurisdiction (the
 * seven largest, the rest as "Other"). The same numbers are in the "Chart data" table.
 */
export function ActionsChart({ periods }: { periods: ChartPeriod[] }) {
  const [ref, width] = useWidth();

  const totals = new Map<string, number>();
  for (const p of periods)
    for (const c of p.counts) totals.set(c.key, (totals.get(c.key) ?? 0) + c.count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = ranked.length <= PALETTE.length ? ranked : ranked.slice(0, PALETTE.length - 1);
  const series = shown.map(([key]) => key);
  if (ranked.length > series.length) series.push(OTHER);
  const colour = (key: string) =>
    key === OTHER ? OTHER_COLOUR : (PALETTE[series.indexOf(key)] ?? OTHER_COLOUR);

  /** Per period, the count of each series (Other gathering the rest). */
  const rows = periods.map((p) => {
    const values = new Map<string, number>();
    for (const c of p.counts) {
      const key = series.includes(c.key) ? c.key : OTHER;
      values.set(key, (values.get(key) ?? 0) + c.count);
    }
    const total = [...values.values()].reduce((a, b) => a + b, 0);
    return { period: p, values, total };
  });
  const grandTotal = rows.reduce((sum, r) => sum + r.total, 0);
  const first = periods[0];
  const last = periods[periods.length - 1];
  const days = first === undefined ? 0 : Math.round((first.to - first.from) / DAY_MS);
  const summary =
    first === undefined || last === undefined
      ? 'No periods to show.'
      : `Stacked bar chart of compliance actions by the jurisdiction whose rule acted, in ${periods.length} periods of ${days} days from ${dayLabel(first.from)} to ${dayLabel(last.to - DAY_MS)}: ${grandTotal} in all` +
        (ranked.length === 0 ? '.' : `; ${ranked.map(([key, n]) => `${key} ${n}`).join(', ')}.`);

  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const { max, step } = niceScale(Math.max(...rows.map((r) => r.total), 0));
  const y = (value: number) => MARGIN.top + plotH - (value / max) * plotH;
  const band = periods.length === 0 ? 0 : plotW / periods.length;
  const barW = Math.max(2, Math.min(56, band * 0.68));
  const labelEvery = band >= 56 ? 1 : band >= 28 ? 2 : 3;
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);

  return (
    <div class="stack">
      {series.length > 0 && (
        <ul class="cmp-legend" aria-label="Legend">
          {series.map((key) => (
            <li key={key}>
              <svg width="14" height="14" aria-hidden="true" focusable="false">
                <rect width="14" height="14" rx="2" fill={colour(key)} />
              </svg>
              {key}
            </li>
          ))}
        </ul>
      )}
      <div ref={ref} class="cmp-chart">
        {width > 0 && (
          <svg
            role="img"
            aria-label={summary}
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            data-testid="actions-chart"
          >
            {ticks.map((t) => (
              <g key={t}>
                <line
                  x1={MARGIN.left}
                  x2={MARGIN.left + plotW}
                  y1={y(t)}
                  y2={y(t)}
                  stroke={t === 0 ? '#767d87' : '#dde1e7'}
                />
                <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" text-anchor="end" class="cmp-axis">
                  {t}
                </text>
              </g>
            ))}
            {rows.map((row, i) => {
              const x = MARGIN.left + band * i + (band - barW) / 2;
              let base = 0;
              return (
                <g key={row.period.from}>
                  {series.map((key) => {
                    const value = row.values.get(key) ?? 0;
                    if (value === 0) return null;
                    const top = y(base + value);
                    const height = y(base) - top;
                    base += value;
                    return (
                      <rect
                        key={key}
                        class="cmp-bar"
                        data-key={key}
                        x={x}
                        y={top}
                        width={barW}
                        height={height}
                        fill={colour(key)}
                        stroke="#ffffff"
                        stroke-width={height > 3 ? 1 : 0}
                      >
                        <title>{`${key}, ${periodLabel(row.period)}: ${value}`}</title>
                      </rect>
                    );
                  })}
                  {i % labelEvery === 0 && (
                    <text
                      x={MARGIN.left + band * i + band / 2}
                      y={MARGIN.top + plotH + 18}
                      text-anchor="middle"
                      class="cmp-axis"
                    >
                      {dayLabel(row.period.from)}
                    </text>
                  )}
                </g>
              );
            })}
            {grandTotal === 0 && (
              <text
                x={MARGIN.left + plotW / 2}
                y={MARGIN.top + plotH / 2}
                text-anchor="middle"
                class="cmp-axis"
              >
                No compliance actions in this window
              </text>
            )}
          </svg>
        )}
      </div>
      <details class="cmp-chart-data">
        <summary>Chart data</summary>
        <div class="table-wrap">
          <table>
            <caption class="cmp-sr-only">Compliance actions per period and jurisdiction</caption>
            <thead>
              <tr>
                <th scope="col">Period (UTC)</th>
                {series.map((key) => (
                  <th scope="col" key={key} class="cmp-num">
                    {key}
                  </th>
                ))}
                <th scope="col" class="cmp-num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.period.from}>
                  <th scope="row">{periodLabel(row.period)}</th>
                  {series.map((key) => (
                    <td key={key} class="cmp-num">
                      {row.values.get(key) ?? 0}
                    </td>
                  ))}
                  <td class="cmp-num">{row.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
