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
 * The jurisdictions' rule sets as one compact table: a row per jurisdiction with rule set
 * versions (active version, open draft, rule count, one action: open the draft or start one),
 * its history and rollback folded away. Jurisdictions without any version are not rows: one
 * picker starts a draft for any of them.
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
      {error !== undefined && <ErrorNotice error={error} />}
      {data === undefined && fetching && <Loading what="Loading jurisdictions" />}
      {data !== undefined && (
        <>
          <h2>With rule sets ({withVersions.length})</h2>
          {withVersions.length === 0 ? (
            <p class="muted">No jurisdiction here has a rule set yet.</p>
          ) : (
            <table class="responsive cmp-jurisdictions">
              <caption class="cmp-sr-only">Jurisdictions with rule sets</caption>
              <Head columns={['Jurisdiction', 'Active', 'Draft', '#Rules', '-Action']} />
              <tbody>
                {withVersions.map((j) => (
                  <JurisdictionRow key={j.code} jurisdiction={j} onChanged={reload} />
                ))}
              </tbody>
            </table>
          )}
          <h2>Without rule sets ({without.length})</h2>
          <StartRuleSet jurisdictions={without} onCreated={reload} />
          <SubdivisionDraft onCreated={reload} />
        </>
      )}
    </Page>
  );
}

function JurisdictionRow({
  jurisdiction: j,
  onChanged,
}: {
  jurisdiction: Jurisdiction;
  onChanged: () => void;
}) {
  const active = j.ruleSets.find((v) => v.status === 'ACTIVE') ?? null;
  const draft = j.ruleSets.find((v) => v.status === 'DRAFT') ?? null;
  const earlier = j.ruleSets.filter((v) => v.status === 'SUPERSEDED');
  return (
    <tr data-jurisdiction={j.code}>
      <td data-label="Jurisdiction">
        <span class="code">{j.code}</span> {j.name}
        {j.members.length > 0 && <span class="muted"> · group of {j.members.length}</span>}
        {(earlier.length > 0 || j.ruleSets.length > 1) && (
          <details class="cmp-history">
            <summary>
              History{earlier.length > 0 ? ' and rollback' : ''}
              <span class="cmp-sr-only"> of {j.code}</span>
            </summary>
            <VersionsTable versions={j.ruleSets} caption={`Versions of ${j.code}`} />
            <Rollback jurisdiction={j} onDone={onChanged} />
          </details>
        )}
      </td>
      <td data-label="Active">
        {active === null ? (
          <span class="muted">None</span>
        ) : (
          <a href={href('rule-sets', active.id)}>Version {active.version}</a>
        )}
      </td>
      <td data-label="Draft">
        {draft === null ? (
          <span class="muted">None</span>
        ) : (
          <>
            <a href={href('rule-sets', draft.id)}>Version {draft.version}</a>
            {draft.rollbackOf !== null && (
              <span class="muted"> (rollback of {draft.rollbackOf})</span>
            )}
          </>
        )}
      </td>
      <td data-label="Rules" class="cmp-num">
        {active === null ? '—' : active.rules.length}
      </td>
      <td class="cmp-row-action">
        <NewDraft jurisdiction={j} onCreated={onChanged} />
      </td>
    </tr>
  );
}

/** One "New draft" for every jurisdiction that has no rule set yet (the filter narrows it). */
function StartRuleSet({
  jurisdictions,
  onCreated,
}: {
  jurisdictions: Jurisdiction[];
  onCreated: () => void;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = jurisdictions.find((j) => j.code === picked) ?? jurisdictions[0];
  if (chosen === undefined)
    return <p class="muted">Every jurisdiction shown here has a rule set.</p>;
  return (
    <div class="row cmp-start">
      <label>
        Start a rule set for
        <select value={chosen.code} onChange={(e) => setPicked(e.currentTarget.value)}>
          {jurisdictions.map((j) => (
            <option key={j.code} value={j.code}>
              {j.code} — {j.name}
              {j.members.length > 0 ? ` (group of ${j.members.length})` : ''}
            </option>
          ))}
        </select>
      </label>
      <NewDraft jurisdiction={chosen} onCreated={onCreated} />
    </div>
  );
}

/** A table head; `#Name`: a number column, `-Name`: named for screen readers only. */
function Head({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const name = column.replace(/^[#-]/, '');
          return (
            <th key={name} scope="col" class={column.startsWith('#') ? 'cmp-num' : undefined}>
              {column.startsWith('-') ? <span class="cmp-sr-only">{name}</span> : name}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

function VersionsTable({ versions, caption }: { versions: VersionSummary[]; caption: string }) {
  return (
    <table class="responsive cmp-versions">
      <caption class="cmp-sr-only">{caption}</caption>
      <Head columns={['Version', 'Status', 'Published', '#Rules']} />
      <tbody>
        {versions.map((v) => (
          <tr key={v.id}>
            <td data-label="Version">
              <a href={href('rule-sets', v.id)}>Version {v.version}</a>
              {v.rollbackOf !== null ? (
                <span class="muted"> (rollback of {v.rollbackOf})</span>
              ) : (
                v.basedOnVersion !== null && <span class="muted"> (from {v.basedOnVersion})</span>
              )}
            </td>
            <td data-label="Status">
              <StatusBadge status={v.status} />
            </td>
            <td data-label="Published">
              <When at={v.publishedAt} />
            </td>
            <td data-label="Rules" class="cmp-num">
              {v.rules.length}
            </td>
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

/**
 * Restores an earlier published version's rules, after a confirmation. Under four eyes the
 * server makes a draft for a second officer (the page then links to it); an emergency rollback
 * publishes at once and needs a reason, which the audit log keeps.
 */
function Rollback({ jurisdiction: j, onDone }: { jurisdiction: Jurisdiction; onDone: () => void }) {
  const earlier = j.ruleSets.filter((v) => v.status === 'SUPERSEDED');
  const [target, setTarget] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [emergency, setEmergency] = useState(false);
  const [reason, setReason] = useState('');
  const [made, setMade] = useState<{
    id: string;
    version: number;
    status: string;
    from: number;
  } | null>(null);
  const [result, rollback] = useMutation<{
    rollbackRuleSet: { id: string; version: number; status: string };
  }>(ROLLBACK);
  const chosen = target ?? earlier[0]?.version ?? null;

  if (earlier.length === 0 && made === null) return null;

  async function confirm(event: Event) {
    event.preventDefault();
    if (chosen === null) return;
    const answer = await rollback({
      jurisdiction: j.code,
      toVersion: chosen,
      emergency,
      reason: reason.trim() === '' ? null : reason.trim(),
    });
    const version = answer.data?.rollbackRuleSet;
    if (version !== undefined) {
      setConfirming(false);
      setMade({ ...version, from: chosen });
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
        <form
          class="notice notice-warn cmp-confirm stack"
          aria-label="Confirm rollback"
          onSubmit={(e) => void confirm(e)}
        >
          <p>
            A rollback makes a new draft of {j.code} with the rules of version {chosen}. Under the
            four-eyes rule another compliance officer reviews and publishes it; until then the
            active version stays in force. (Where the four-eyes rule is off, it is published at
            once.)
          </p>
          <label class="inline">
            <input
              type="checkbox"
              checked={emergency}
              onChange={(e) => setEmergency(e.currentTarget.checked)}
            />
            Emergency: publish now without a second officer
          </label>
          <label>
            Reason{emergency ? ' (required, kept in the audit log)' : ' (optional)'}
            <textarea
              value={reason}
              rows={2}
              maxLength={1000}
              required={emergency}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <div class="row">
            <button type="submit" class="danger primary" disabled={result.fetching}>
              {emergency
                ? `Publish version ${chosen}’s rules now`
                : `Confirm rollback to version ${chosen}`}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
          {result.error !== undefined && <DraftError error={result.error} />}
        </form>
      )}
      {made !== null &&
        (made.status === 'DRAFT' ? (
          <StatusNotice>
            Draft version {made.version} of {j.code} restores the rules of version {made.from}.
            Another compliance officer must publish it:{' '}
            <a href={href('rule-sets', made.id)}>open the rollback draft</a>.
          </StatusNotice>
        ) : (
          <StatusNotice>
            Version {made.version} of {j.code} is now active, with the rules of version {made.from}.
          </StatusNotice>
        ))}
    </div>
  );
}
