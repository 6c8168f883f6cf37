import { useMemo, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { ErrorNotice, extensionsOf, problemOf, StatusNotice } from '../errors';
import { Loading, Page, When } from '../page';
import { href, navigate } from '../router';
import {
  CREATE_DRAFT,
  JURISDICTIONS,
  ROLLBACK,
  type Jurisdiction,
  type VersionSummary,
} from './api';
import './compliance.css';

/**
 * Every jurisdiction with its rule set versions: the ones with versions first, as cards with
 * their history, then the others in a compact table. Drafts are created here (copying the
 * active rules or empty) and old versions restored (rollback, with a confirmation step).
 */
export function JurisdictionsPage() {
  const [{ data, fetching, error }, refetch] = useQuery<{ jurisdictions: Jurisdiction[] }>({
    query: JURISDICTIONS,
    requestPolicy: 'cache-and-network',
  });
  const [filter, setFilter] = useState('');
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const [withVersions, without] = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const shown = (data?.jurisdictions ?? []).filter(
      (j) =>
        needle === '' ||
        j.code.toLowerCase().includes(needle) ||
        j.name.toLowerCase().includes(needle),
    );
    return [
      shown.filter((j) => j.ruleSets.length > 0),
      shown.filter((j) => j.ruleSets.length === 0),
    ];
  }, [data, filter]);

  return (
    <Page title="Rules">
      <p class="muted">
        Each jurisdiction has numbered rule set versions; one is active. Draft, test and preview a
        version, then another compliance officer publishes it.
      </p>
      <div class="filters">
        <label>
          Find a jurisdiction
          <input
            type="search"
            value={filter}
            placeholder="Code or name, e.g. DE"
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </label>
      </div>
      <SubdivisionDraft onCreated={reload} />
      {error !== undefined && <ErrorNotice error={error} />}
      {data === undefined && fetching && <Loading what="Loading jurisdictions" />}
      {data !== undefined && (
        <>
          <h2>With rule sets ({withVersions.length})</h2>
          {withVersions.length === 0 ? (
            <p class="muted">No jurisdiction here has a rule set yet.</p>
          ) : (
            <div class="cmp-cards">
              {withVersions.map((j) => (
                <JurisdictionCard key={j.code} jurisdiction={j} onChanged={reload} />
              ))}
            </div>
          )}
          <h2>Without rule sets ({without.length})</h2>
          {without.length > 0 && (
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {without.map((j) => (
                  <tr key={j.code} data-jurisdiction={j.code}>
                    <td data-label="Code">
                      <span class="code">{j.code}</span>
                    </td>
                    <td data-label="Name">
                      {j.name}
                      {j.members.length > 0 && (
                        <span class="muted"> · group of {j.members.length}</span>
                      )}
                    </td>
                    <td>
                      <NewDraft jurisdiction={j} onCreated={reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}

function JurisdictionCard({
  jurisdiction: j,
  onChanged,
}: {
  jurisdiction: Jurisdiction;
  onChanged: () => void;
}) {
  const headingId = `jurisdiction-${j.code}`;
  return (
    <section class="card cmp-jurisdiction" aria-labelledby={headingId} data-jurisdiction={j.code}>
      <div class="cmp-card-head">
        <h3 id={headingId}>
          <span class="code">{j.code}</span> {j.name}
        </h3>
        <span class="badge">
          {j.activeRuleSet === null
            ? 'No active version'
            : `Active: version ${j.activeRuleSet.version}`}
        </span>
      </div>
      <VersionsTable versions={j.ruleSets} caption={`Versions of ${j.code}`} />
      <div class="cmp-card-actions">
        <NewDraft jurisdiction={j} onCreated={onChanged} />
        <Rollback jurisdiction={j} onDone={onChanged} />
      </div>
    </section>
  );
}

function VersionsTable({ versions, caption }: { versions: VersionSummary[]; caption: string }) {
  return (
    <table class="responsive cmp-versions">
      <caption class="cmp-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Published</th>
          <th scope="col">Rules</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.id}>
            <td data-label="Version">
              <a href={href('rule-sets', v.id)}>Version {v.version}</a>
              {v.basedOnVersion !== null && <span class="muted"> (from {v.basedOnVersion})</span>}
            </td>
            <td data-label="Status">
              <StatusBadge status={v.status} />
            </td>
            <td data-label="Created">
              <When at={v.createdAt} />
            </td>
            <td data-label="Published">
              <When at={v.publishedAt} />
            </td>
            <td data-label="Rules">{v.rules.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusBadge({ status }: { status: VersionSummary['status'] }) {
  return <span class={`badge cmp-status cmp-status-${status.toLowerCase()}`}>{status}</span>;
}

/** "New draft" (copy of the active rules, or empty); a link to the open draft if there is one. */
function NewDraft({
  jurisdiction: j,
  onCreated,
}: {
  jurisdiction: Jurisdiction;
  onCreated: () => void;
}) {
  const [result, create] = useMutation<{ createRuleSetDraft: { id: string } }>(CREATE_DRAFT);
  const [empty, setEmpty] = useState(false);
  const draft = j.ruleSets.find((v) => v.status === 'DRAFT');
  if (draft !== undefined)
    return (
      <a class="cmp-button-link" href={href('rule-sets', draft.id)}>
        Open draft (version {draft.version})
      </a>
    );

  async function submit() {
    const answer = await create({ jurisdiction: j.code, copyActive: !empty });
    const id = answer.data?.createRuleSetDraft.id;
    if (id !== undefined) {
      onCreated();
      navigate('rule-sets', id);
    }
  }
  const hasActive = j.activeRuleSet !== null;
  return (
    <div class="cmp-new-draft">
      {hasActive && (
        <label class="inline">
          <input
            type="checkbox"
            checked={empty}
            onChange={(e) => setEmpty(e.currentTarget.checked)}
          />
          Start empty
        </label>
      )}
      <button
        type="button"
        class="primary"
        disabled={result.fetching}
        aria-label={`New draft for ${j.code}`}
        onClick={() => void submit()}
      >
        New draft
      </button>
      {result.error !== undefined && <DraftError error={result.error} />}
    </div>
  );
}

/** DRAFT_EXISTS names the open draft: link to it rather than only saying no. */
function DraftError({ error }: { error: CombinedError }) {
  const problem = problemOf(error);
  const existing = extensionsOf(error).ruleSetId;
  return (
    <div>
      <ErrorNotice error={problem} />
      {problem.reason === 'DRAFT_EXISTS' && typeof existing === 'string' && (
        <a href={href('rule-sets', existing)}>Open the existing draft</a>
      )}
    </div>
  );
}

/** A draft for a code not listed (a subdivision such as US-CA). */
function SubdivisionDraft({ onCreated }: { onCreated: () => void }) {
  const [code, setCode] = useState('');
  const [result, create] = useMutation<{ createRuleSetDraft: { id: string } }>(CREATE_DRAFT);
  async function submit(event: Event) {
    event.preventDefault();
    const answer = await create({ jurisdiction: code.trim().toUpperCase(), copyActive: true });
    const id = answer.data?.createRuleSetDraft.id;
    if (id !== undefined) {
      onCreated();
      navigate('rule-sets', id);
    }
  }
  return (
    <details class="cmp-subdivision">
      <summary>Draft for a subdivision (e.g. US-CA)</summary>
      <form class="row" onSubmit={(e) => void submit(e)}>
        <label>
          Jurisdiction code
          <input
            value={code}
            required
            maxLength={16}
            placeholder="US-CA"
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={result.fetching || code.trim() === ''}>
          Create draft
        </button>
      </form>
      {result.error !== undefined && <DraftError error={result.error} />}
    </details>
  );
}

/** Restores an earlier published version as a new active version, after a confirmation. */
function Rollback({ jurisdiction: j, onDone }: { jurisdiction: Jurisdiction; onDone: () => void }) {
  const earlier = j.ruleSets.filter((v) => v.status === 'SUPERSEDED');
  const [target, setTarget] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [restored, setRestored] = useState<{ version: number; from: number } | null>(null);
  const [result, rollback] = useMutation<{ rollbackRuleSet: { version: number } }>(ROLLBACK);
  const chosen = target ?? earlier[0]?.version ?? null;

  if (earlier.length === 0 && restored === null) return null;

  async function confirm() {
    if (chosen === null) return;
    const answer = await rollback({ jurisdiction: j.code, toVersion: chosen });
    const made = answer.data?.rollbackRuleSet;
    setConfirming(false);
    if (made !== undefined) {
      setRestored({ version: made.version, from: chosen });
      onDone();
    }
  }

  const selectId = `rollback-${j.code}`;
  return (
    <div class="cmp-rollback">
      {earlier.length > 0 && !confirming && (
        <div class="row">
          <label for={selectId}>
            Roll back {j.code} to
            <select
              id={selectId}
              value={chosen ?? ''}
              onChange={(e) => setTarget(Number(e.currentTarget.value))}
            >
              {earlier.map((v) => (
                <option key={v.id} value={v.version}>
                  Version {v.version} ({v.rules.length} {v.rules.length === 1 ? 'rule' : 'rules'})
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Roll back…
          </button>
        </div>
      )}
      {confirming && chosen !== null && (
        <div class="notice notice-warn cmp-confirm" role="group" aria-label="Confirm rollback">
          <p>
            Publish the rules of version {chosen} of {j.code} as a new active version now? The
            current active version is superseded at once.
          </p>
          <div class="row">
            <button
              type="button"
              class="danger primary"
              disabled={result.fetching}
              onClick={() => void confirm()}
            >
              Confirm rollback to version {chosen}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {result.error !== undefined && !confirming && <ErrorNotice error={result.error} />}
      {restored !== null && (
        <StatusNotice>
          Version {restored.version} of {j.code} is now active, with the rules of version{' '}
          {restored.from}.
        </StatusNotice>
      )}
    </div>
  );
}
