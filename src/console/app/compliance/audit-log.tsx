import { useEffect, useRef, useState } from 'preact/hooks';
import { useClient } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { ErrorNotice } from '../errors';
import { Loading, Page, When } from '../page';
import { AUDIT_LOG, VERIFY_AUDIT_LOG, type AuditEntry, type AuditVerification } from './api';
import './compliance.css';

/** The actions docs/audit.md lists, for the filter. */
const ACTIONS = [
  'ruleSet.createDraft',
  'rule.add',
  'rule.update',
  'rule.remove',
  'ruleSet.publish',
  'ruleSet.rollback',
  'ruleSet.retroactive.start',
  'ruleSet.retroactive.finish',
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

/** The audit log, newest first, filtered by action, a page at a time; and the chain check. */
export function AuditLogPage() {
  const client = useClient();
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  /** The newest load: an answer to an older one (a filter since changed) is dropped. */
  const latest = useRef(0);

  async function load(after: string | null, filter: string, append: boolean) {
    const ticket = ++latest.current;
    setBusy(true);
    const answer = await client
      .query<AuditPage>(
        AUDIT_LOG,
        { first: PAGE_SIZE, after, action: filter === '' ? null : filter },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    if (ticket !== latest.current) return;
    setBusy(false);
    setError(answer.error);
    const page = answer.data?.auditLog;
    if (page === undefined) return;
    const nodes = page.edges.map((edge) => edge.node);
    setEntries((current) => (append && current !== null ? [...current, ...nodes] : nodes));
    setCursor(page.pageInfo.endCursor);
    setHasMore(page.pageInfo.hasNextPage);
  }

  useEffect(() => {
    setEntries(null);
    void load(null, action, false);
    // Reloads from the top whenever the filter changes.
  }, [action]);

  return (
    <Page title="Audit log">
      <div class="cmp-audit-bar">
        <div class="filters cmp-audit-filter">
          <label>
            Action
            <select value={action} onChange={(e) => setAction(e.currentTarget.value)}>
              <option value="">All actions</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ChainCheck />
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {entries === null && busy && <Loading what="Loading the audit log" />}
      {entries !== null && entries.length === 0 && (
        <p class="muted">No entries{action === '' ? '' : ` for ${action}`}.</p>
      )}
      {entries !== null && entries.length > 0 && (
        <table class="responsive cmp-audit">
          <caption class="cmp-sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Role</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Detail</th>
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
                <td data-label="Actor">{entry.actorHandle}</td>
                <td data-label="Role">{entry.actorRole}</td>
                <td data-label="Action">
                  <span class="code">{entry.action}</span>
                </td>
                <td data-label="Subject" class="code cmp-wrap">
                  {entry.subject}
                </td>
                <td data-label="Detail" class="cmp-detail">
                  <Detail json={entry.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(cursor, action, true)}>
            {busy ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </Page>
  );
}

/** The detail JSON: a one-line summary, the whole of it pretty-printed on demand. */
function Detail({ json }: { json: string }) {
  let pretty = json;
  let summary = json;
  try {
    const value = JSON.parse(json) as unknown;
    pretty = JSON.stringify(value, null, 2);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      summary = Object.entries(value as Record<string, unknown>)
        .map(([key, v]) => `${key}: ${typeof v === 'object' && v !== null ? '…' : String(v)}`)
        .join(', ');
  } catch {
    // Not JSON: shown as it is.
  }
  if (summary.length <= 80 && pretty === json) return <span class="cmp-wrap">{json}</span>;
  return (
    <details>
      <summary class="cmp-wrap">
        {summary.length > 80 ? `${summary.slice(0, 79)}…` : summary}
      </summary>
      <pre class="cmp-json">{pretty}</pre>
    </details>
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
