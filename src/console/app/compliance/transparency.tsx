import { useMemo, useState } from 'preact/hooks';
import { gql, useQuery } from '@urql/preact';
import { ErrorNotice } from '../errors';
import { Loading, Page } from '../page';
import { TRANSPARENCY_REPORT, type CountBy, type TransparencyReport } from './api';
import { ActionsChart, type ChartPeriod } from './actions-chart';
import { DAY_MS, periodsOf, utcDate, utcMidnight, type Period } from './periods';
import './compliance.css';

/** One operation with an aliased report per period (the server allows 15 aliases). */
function chartQuery(count: number) {
  const variables = Array.from({ length: count }, (_, i) => `$f${i}: DateTime!, $t${i}: DateTime!`);
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `p${i}: transparencyReport(from: $f${i}, to: $t${i}) { byJurisdiction { key count } }`,
  );
  return gql(`query ComplianceTransparencyChart(${variables.join(', ')}) { ${fields.join(' ')} }`);
}

const today = () => utcMidnight(utcDate(Date.now()));

/**
 * The transparency report for a window of whole UTC days: its tables, and a chart of the
 * compliance actions per jurisdiction whose rule acted, period by period.
 */
export function TransparencyPage() {
  const [fromInput, setFromInput] = useState(() => utcDate(today() - 83 * DAY_MS));
  const [toInput, setToInput] = useState(() => utcDate(today()));
  const [range, setRange] = useState<Period>(() => ({
    from: today() - 83 * DAY_MS,
    to: today() + DAY_MS,
  }));
  const [invalid, setInvalid] = useState<string | null>(null);

  function apply(event: Event) {
    event.preventDefault();
    const from = utcMidnight(fromInput);
    const to = utcMidnight(toInput);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) {
      setInvalid('Choose a start date on or before the end date.');
      return;
    }
    setInvalid(null);
    setRange({ from, to: to + DAY_MS });
  }

  const [report] = useQuery<{ transparencyReport: TransparencyReport }>({
    query: TRANSPARENCY_REPORT,
    variables: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    requestPolicy: 'network-only',
  });

  const periods = useMemo(() => periodsOf(range), [range]);
  const query = useMemo(() => chartQuery(periods.length), [periods.length]);
  const variables = useMemo(() => {
    const vars: Record<string, string> = {};
    periods.forEach((p, i) => {
      vars[`f${i}`] = new Date(p.from).toISOString();
      vars[`t${i}`] = new Date(p.to).toISOString();
    });
    return vars;
  }, [periods]);
  const [chart] = useQuery<Record<string, { byJurisdiction: CountBy[] }>>({
    query,
    variables,
    requestPolicy: 'network-only',
    pause: periods.length === 0,
  });
  const chartPeriods: ChartPeriod[] | null =
    chart.data === undefined
      ? null
      : periods.map((p, i) => ({ ...p, counts: chart.data?.[`p${i}`]?.byJurisdiction ?? [] }));

  const data = report.data?.transparencyReport;
  return (
    <Page title="Transparency">
      <form class="row cmp-window" onSubmit={apply}>
        <label>
          From (UTC day)
          <input
            type="date"
            value={fromInput}
            required
            onInput={(e) => setFromInput(e.currentTarget.value)}
          />
        </label>
        <label>
          To (UTC day, included)
          <input
            type="date"
            value={toInput}
            required
            onInput={(e) => setToInput(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Show report
        </button>
      </form>
      {invalid !== null && (
        <div class="notice notice-error" role="alert">
          {invalid}
        </div>
      )}
      {report.error !== undefined && <ErrorNotice error={report.error} />}
      {data === undefined && report.fetching && <Loading what="Loading the report" />}
      {data !== undefined && (
        <p class="muted">
          Counts over {utcDate(Date.parse(data.from))} to {utcDate(Date.parse(data.to) - DAY_MS)}{' '}
          (whole UTC days). Nothing here identifies a person.
        </p>
      )}

      <section class="card stack cmp-chart-card" aria-labelledby="chart-title">
        <h2 id="chart-title" class="cmp-card-title">
          Compliance actions by jurisdiction whose rule acted
        </h2>
        <p class="muted cmp-small">
          One action is one rule notice shown to an author; a rule of the EU set counts under EU,
          whether the jurisdiction governed the post or only withheld it.
        </p>
        {chart.error !== undefined && <ErrorNotice error={chart.error} />}
        {chartPeriods === null && chart.fetching && <Loading what="Loading the chart" />}
        {chartPeriods !== null && <ActionsChart periods={chartPeriods} />}
      </section>

      {data !== undefined && (
        <div class="cmp-report-grid">
          <CountTable
            title="By jurisdiction whose rule acted"
            keyLabel="Jurisdiction"
            rows={data.byJurisdiction}
          />
          <CountTable title="By action (as applied)" keyLabel="Action" rows={data.byAction} />
          <CountTable title="Moderation decisions" keyLabel="Decision" rows={data.byDecision} />
          <CountTable title="Reports by reason" keyLabel="Reason" rows={data.byReportReason} />
          <section class="card" aria-labelledby="median-title">
            <h2 id="median-title" class="cmp-card-title">
              Median time to a decision
            </h2>
            <p class="cmp-big" data-testid="median">
              {data.medianSecondsToDecision === null
                ? '—'
                : formatDuration(data.medianSecondsToDecision)}
            </p>
            <p class="muted cmp-small">
              From entering the moderators’ queue to the decision, over items decided in the window
              {data.medianSecondsToDecision !== null &&
                ` (${Math.round(data.medianSecondsToDecision).toLocaleString()} s)`}
              .
            </p>
          </section>
        </div>
      )}
    </Page>
  );
}

function CountTable({
  title,
  keyLabel,
  rows,
}: {
  title: string;
  keyLabel: string;
  rows: CountBy[];
}) {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const id = `table-${keyLabel.toLowerCase()}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id} class="cmp-card-title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p class="muted">None in this window.</p>
      ) : (
        <table class="cmp-counts">
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col" class="cmp-num">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" class="code">
                  {row.key}
                </th>
                <td class="cmp-num">{row.count.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="cmp-num">{total.toLocaleString()}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
