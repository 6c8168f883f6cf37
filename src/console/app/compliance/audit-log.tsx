import { useEffect, useRef, useState } from 'preact/hooks';
import { useClient } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { ErrorNotice } from '../errors';
import { Loading, Page, When } from '../page';
import { href } from '../router';
import { AUDIT_LOG, VERIFY_AUDIT_LOG, type AuditEntry, type AuditVerification } from './api';
import { auditCsv, detailLines, subjectLink } from './audit-format';
import './compliance.css';

/** The actions docs/audit.md lists, for the filter. */
const ACTIONS = [
  'ruleSet.createDraft',
  'rule.add',
  'rule.update',
  'rule.remove',
  'ruleSet.publish',
  'ruleSet.rollback',
  'ruleSet.rollbackDraft',
  'ruleSet.emergencyRollback',
  'ruleSet.retroactive.start',
  'ruleSet.retroactive.finish',
  'ruleSet.retroactive.fail',
  'review.decide',
  'review.appeal',
  'sanction.apply',
  'sanction.lift',
  'role.grant',
  'role.revoke',
  'company.create',
  'company.addDomain',
  'board.create',
  'moderator.scope',
];

const PAGE_SIZE = 50;

interface AuditPage {
  auditLog: {
    edges: Array<{ cursor: string; node: AuditEntry }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}

/** What the page narrows the log to; '' = not narrowed. Dates are days, `to` inclusive. */
interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { action: '', actor: '', from: '', to: '' };
const DAY_MS = 86_400_000;

/** The auditLog arguments of the filters: local days, `to` up to the end of its day. */
function variablesOf(filters: Filters): Record<string, string | null> {
  const day = (date: string) => new Date(`${date}T00:00:00`);
  return {
    action: filters.action === '' ? null : filters.action,
    actorHandle: filters.actor.trim() === '' ? null : filters.actor.trim(),
    from: filters.from === '' ? null : day(filters.from).toISOString(),
    to: filters.to === '' ? null : new Date(day(filters.to).getTime() + DAY_MS).toISOString(),
  };
}

/**
 * The audit log, newest first, a page at a time, narrowed by action, actor and days; each
 * subject a link to what it names, the details as readable lines; the entries the filters
 * select downloadable as CSV; and the chain check.
 */
export function AuditLogPage() {
  const client = useClient();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /**
   * What is typed in the actor field, applied on change (Enter, leaving the field, a pick from
   * the list). Kept apart from `filters` so that a page arriving while one types re-renders
   * the field with what was typed, not with the filter last applied.
   */
  const [actorDraft, setActorDraft] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  /** The filters the entries shown were loaded with (the summary line says them). */
  const [shownFor, setShownFor] = useState<Filters>(NO_FILTERS);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  /** The newest load: an answer to an older one (a filter since changed) is dropped. */
  const latest = useRef(0);

  function fetchPage(after: string | null, first: number, narrowed: Filters) {
    return client
      .query<AuditPage>(
        AUDIT_LOG,
        { first, after, ...variablesOf(narrowed) },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
  }

  async function load(after: string | null, narrowed: Filters, append: boolean) {
    const ticket = ++latest.current;
    setBusy(true);
    const answer = await fetchPage(after, PAGE_SIZE, narrowed);
    if (ticket !== latest.current) return;
    setBusy(false);
    setError(answer.error);
    const page = answer.data?.auditLog;
    if (page === undefined) return;
    const nodes = page.edges.map((edge) => edge.node);
    setEntries((current) => (append && current !== null ? [...current, ...nodes] : nodes));
    setShownFor(narrowed);
    setCursor(page.pageInfo.endCursor);
    setHasMore(page.pageInfo.hasNextPage);
  }

  useEffect(() => {
    setEntries(null);
    void load(null, filters, false);
    // Reloads from the top whenever a filter changes.
  }, [filters]);

  const set = (key: keyof Filters) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setFilters((current) => ({ ...current, [key]: value }));
  };
  const actors = [...new Set((entries ?? []).map((entry) => entry.actorHandle))].sort();
  const narrowed =
    filters.action !== '' ||
    filters.actor.trim() !== '' ||
    filters.from !== '' ||
    filters.to !== '';

  return (
    <Page title="Audit log">
      <div class="cmp-audit-bar">
        <form
          class="filters cmp-audit-filter"
          aria-label="Filter the audit log"
          onSubmit={(e) => e.preventDefault()}
        >
          <label>
            Action
            <select value={filters.action} onChange={set('action')}>
              <option value="">All actions</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Actor
            <input
              type="search"
              list="audit-actors"
              value={actorDraft}
              placeholder="Staff handle"
              onInput={(event) => setActorDraft(event.currentTarget.value)}
              onChange={set('actor')}
            />
            <datalist id="audit-actors">
              {actors.map((actor) => (
                <option key={actor} value={actor} />
              ))}
            </datalist>
          </label>
          {(['from', 'to'] as const).map((end) => (
            <label key={end}>
              {end === 'from' ? 'From' : 'To'}
              <input
                type="date"
                value={filters[end]}
                min={end === 'to' ? filters.from || undefined : undefined}
                max={end === 'from' ? filters.to || undefined : undefined}
                onChange={set(end)}
              />
            </label>
          ))}
          {narrowed && (
            <button
              type="button"
              onClick={() => {
                setFilters(NO_FILTERS);
                setActorDraft('');
              }}
            >
              Clear filters
            </button>
          )}
        </form>
        <div class="cmp-audit-tools">
          <CsvExport fetchPage={(after) => fetchPage(after, 100, filters)} />
          <ChainCheck />
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {entries === null && busy && <Loading what="Loading the audit log" />}
      {entries !== null && entries.length === 0 && (
        <p class="muted">No entries{narrowed ? ' match these filters' : ''}.</p>
      )}
      {entries !== null && entries.length > 0 && (
        <p class="muted cmp-small" data-testid="audit-summary" aria-live="polite">
          {summaryOf(entries.length, shownFor)}
          {hasMore ? ' (more to load)' : ''}
        </p>
      )}
      {entries !== null && entries.length > 0 && (
        <table class="responsive cmp-audit">
          <caption class="cmp-sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td data-label="Time">
                  <When at={entry.at} />
                  <div class="muted cmp-small">
                    {entry.log} #{entry.seq}
                  </div>
                </td>
                <td data-label="Actor">
                  {entry.actorHandle}
                  <div class="muted cmp-small">{entry.actorRole}</div>
                </td>
                <td data-label="Action">
                  <span class="code">{entry.action}</span>
                </td>
                <td data-label="Subject" class="cmp-wrap">
                  <Subject entry={entry} />
                </td>
                <td data-label="Details" class="cmp-detail">
                  <Details details={entry.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(cursor, filters, true)}>
            {busy ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </Page>
  );
}

/** "5 entries · ruleSet.publish · by Staff Quiet Heron 4821 · from 2026-12-05 · to 2026-12-05" */
function summaryOf(count: number, filters: Filters): string {
  return [
    `${count} ${count === 1 ? 'entry' : 'entries'}`,
    filters.action,
    filters.actor.trim() === '' ? '' : `by ${filters.actor.trim()}`,
    filters.from === '' ? '' : `from ${filters.from}`,
    filters.to === '' ? '' : `to ${filters.to}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
}

function Subject({ entry }: { entry: AuditEntry }) {
  const link = subjectLink(entry.subject, entry.details);
  return link.route === null ? (
    <span>{link.label}</span>
  ) : (
    <a href={href(...link.route)} title={entry.subject}>
      {link.label}
    </a>
  );
}

/** The details as `key: value` lines; an edit's changed fields as before → after. */
function Details({ details }: { details: Record<string, unknown> }) {
  const lines = detailLines(details);
  if (lines.length === 0) return <span class="muted">—</span>;
  return (
    <dl class="cmp-kv">
      {lines.map((line) => (
        <div key={`${line.kind}-${line.key}`}>
          <dt>{line.key}</dt>
          {line.kind === 'fact' ? (
            <dd>{line.value}</dd>
          ) : (
            <dd>
              <del>{line.before}</del> <span aria-hidden="true">→</span>
              <span class="cmp-sr-only"> becomes </span> <ins>{line.after}</ins>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

/** The most entries one export reads (100 per request). */
const EXPORT_MAX = 10_000;

/** Reads every entry the filters select, a page at a time, and downloads them as CSV. */
function CsvExport({
  fetchPage,
}: {
  fetchPage: (after: string | null) => Promise<{ data?: AuditPage; error?: CombinedError }>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const [note, setNote] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(undefined);
    setNote(null);
    const all: AuditEntry[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await fetchPage(after);
      if (answer.error !== undefined || answer.data === undefined) {
        setError(answer.error);
        setBusy(false);
        return;
      }
      all.push(...answer.data.auditLog.edges.map((edge) => edge.node));
      const info = answer.data.auditLog.pageInfo;
      if (!info.hasNextPage || all.length >= EXPORT_MAX) break;
      after = info.endCursor;
    }
    const url = URL.createObjectURL(new Blob([auditCsv(all)], { type: 'text/csv;charset=utf-8' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `audit-log-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    // Released once the browser has taken the file.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setBusy(false);
    setNote(
      `${all.length} ${all.length === 1 ? 'entry' : 'entries'} exported${all.length >= EXPORT_MAX ? ' (the export stops at 10,000: narrow the filters for the rest)' : ''}.`,
    );
  }

  return (
    <div class="cmp-export">
      <button type="button" onClick={() => void download()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      <span aria-live="polite" class="muted cmp-small">
        {note}
      </span>
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  );
}

/** verifyAuditLog: recomputes both chains and says whether they are intact. */
function ChainCheck() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const [result, setResult] = useState<AuditVerification | null>(null);

  async function check() {
    setBusy(true);
    setResult(null);
    const answer = await client
      .query<{ verifyAuditLog: AuditVerification }>(
        VERIFY_AUDIT_LOG,
        {},
        {
          requestPolicy: 'network-only',
        },
      )
      .toPromise();
    setBusy(false);
    setError(answer.error);
    setResult(answer.data?.verifyAuditLog ?? null);
  }

  return (
    <div class="cmp-chain">
      <button type="button" onClick={() => void check()} disabled={busy}>
        {busy ? 'Checking…' : 'Check chain'}
      </button>
      <div aria-live="polite" data-testid="chain-result">
        {result !== null &&
          (result.ok ? (
            <div class="notice notice-ok" role="status">
              <strong>Chain intact.</strong> {result.checked} entries checked.
              <Heads heads={result.heads} />
            </div>
          ) : (
            <div class="notice notice-error" role="alert">
              <strong>Chain broken.</strong> {result.checked} entries checked; first bad entry:{' '}
              <span class="code">{result.firstBadEntryId ?? 'the newest entries are missing'}</span>
              .
              <Heads heads={result.heads} />
            </div>
          ))}
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  );
}

function Heads({ heads }: { heads: AuditVerification['heads'] }) {
  return (
    <ul class="cmp-heads">
      {heads.map((head) => (
        <li key={head.log}>
          {head.log} head #{head.seq}: <span class="code cmp-wrap">{head.hash}</span>
        </li>
      ))}
    </ul>
  );
}
