import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useClient, useMutation, useQuery } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { ErrorNotice, problemOf, StatusNotice } from '../errors';
import { Loading, Page, When } from '../page';
import { href } from '../router';
import {
  BOARD_KINDS,
  PREVIEW_IMPACT,
  PUBLISH,
  REMOVE_RULE,
  RETROACTIVE_RUN,
  RULE_SET,
  TEST_RULES,
  type BoardKind,
  type ImpactPreview,
  type Matcher,
  type RetroactiveRun,
  type Rule,
  type RuleHit,
  type RuleSetDiff,
  type RuleSetVersion,
  type RuleTestResult,
} from './api';
import { segmentsOf } from './highlight';
import { StatusBadge } from './jurisdictions';
import { RuleEditor } from './rule-editor';
import './compliance.css';

/**
 * One rule set version: its facts and rules; for a draft the rule editor and publishing; for
 * every version the test box and the impact preview.
 */
export function RuleSetPage({ id }: { id: string }) {
  const [{ data, fetching, error }, refetch] = useQuery<{ ruleSet: RuleSetVersion | null }>({
    query: RULE_SET,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [editing, setEditing] = useState<string | null>(null);
  /** The last impact preview run on this page: the retroactive confirmation quotes it. */
  const [preview, setPreview] = useState<LastPreview | null>(null);
  /** Set once this page published the version retroactively: the progress bar follows it. */
  const [following, setFollowing] = useState(false);
  const version = data?.ruleSet;

  if (version === undefined || version === null)
    return (
      <Page title="Rule set">
        <p>
          <a href={href('rules')}>All jurisdictions</a>
        </p>
        {error !== undefined && <ErrorNotice error={error} />}
        {fetching && <Loading what="Loading the rule set" />}
        {!fetching && version === null && <p>There is no rule set version {id}.</p>}
      </Page>
    );

  const draft = version.status === 'DRAFT';
  const editedRule = version.rules.find((r) => r.id === editing) ?? null;
  return (
    <Page title={`${version.jurisdiction} rule set, version ${version.version}`}>
      <p class="cmp-back">
        <a href={href('rules')}>← All jurisdictions</a>
      </p>
      <dl class="cmp-facts">
        <div>
          <dt>Jurisdiction</dt>
          <dd class="code">{version.jurisdiction}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{version.version}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="rule-set-status">
            <StatusBadge status={version.status} />
          </dd>
        </div>
        <div>
          <dt>Based on</dt>
          <dd>{version.basedOnVersion === null ? '—' : `Version ${version.basedOnVersion}`}</dd>
        </div>
        {version.rollbackOf !== null && (
          <div>
            <dt>Rollback</dt>
            <dd data-testid="rollback-of">
              <span class="badge cmp-rollback-badge">Rollback of version {version.rollbackOf}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>Created</dt>
          <dd>
            <When at={version.createdAt} />
          </dd>
        </div>
        <div>
          <dt>{version.publishedAt === null ? 'Updated' : 'Published'}</dt>
          <dd>
            <When at={version.publishedAt ?? version.updatedAt} />
          </dd>
        </div>
      </dl>

      <div class="grid-2 cmp-rule-layout">
        <div class="stack">
          <section aria-labelledby="rules-title">
            <h2 id="rules-title">Rules ({version.rules.length})</h2>
            {!draft && (
              <p class="muted">
                A published version cannot be changed: create a new draft from the{' '}
                <a href={href('rules')}>Rules</a> page.
              </p>
            )}
            <RulesTable
              rules={version.rules}
              editable={draft}
              editing={editing}
              onEdit={(ruleId) => setEditing(ruleId)}
              onRemoved={(ruleId) => {
                if (editing === ruleId) setEditing(null);
                reload();
              }}
            />
          </section>
          {draft && (
            <RuleEditor
              key={editedRule?.id ?? 'new'}
              ruleSetId={version.id}
              rule={editedRule}
              onSaved={() => {
                setEditing(null);
                reload();
              }}
              onCancel={() => setEditing(null)}
            />
          )}
        </div>
        <div class="stack">
          {draft && <DiffView diff={version.diff} />}
          <Publish
            version={version}
            preview={preview}
            onPublished={(retroactive) => {
              if (retroactive) setFollowing(true);
              reload();
            }}
          />
          {(following || version.retroactiveRun !== null) && (
            <RunProgress ruleSetId={version.id} initial={version.retroactiveRun} />
          )}
          <TestBox ruleSetId={version.id} />
          <Impact ruleSetId={version.id} onPreview={setPreview} />
        </div>
      </div>
    </Page>
  );
}

/** One line saying what a matcher looks for. */
export function matcherSummary(m: Matcher): string {
  const list = (items: string[], max = 4) =>
    items.length <= max
      ? items.join(', ')
      : `${items.slice(0, max).join(', ')} (+${items.length - max} more)`;
  switch (m.kind) {
    case 'KEYWORDS':
      return `Keywords: ${list(m.terms)}`;
    case 'REGEX':
      return `Regex: ${m.pattern ?? ''}`;
    case 'PROFANITY': {
      const extra = m.terms.length > 0 ? `, plus ${list(m.terms)}` : '';
      const minus = m.exclude.length > 0 ? `, except ${list(m.exclude)}` : '';
      return `Profanity list${extra}${minus}`;
    }
    case 'PII':
      return `PII: ${m.piiKinds.length === 0 ? 'all detectors' : list(m.piiKinds)}`;
  }
}

function RulesTable({
  rules,
  editable,
  editing,
  onEdit,
  onRemoved,
}: {
  rules: Rule[];
  editable: boolean;
  editing: string | null;
  onEdit: (ruleId: string) => void;
  onRemoved: (ruleId: string) => void;
}) {
  if (rules.length === 0) return <p class="muted">No rules yet.</p>;
  return (
    <table class="responsive cmp-rules">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Matcher</th>
          <th scope="col">Action</th>
          <th scope="col">Boards</th>
          <th scope="col">Enabled</th>
          {editable && (
            <th scope="col">
              <span class="cmp-sr-only">Changes</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => (
          <tr key={rule.id} class={editing === rule.id ? 'selected' : undefined}>
            <td data-label="Name">
              <strong>{rule.name}</strong>
              <div class="muted cmp-small">{rule.legalBasis}</div>
            </td>
            <td data-label="Matcher" class="cmp-matcher">
              {matcherSummary(rule.matcher)}
            </td>
            <td data-label="Action">
              <span class={`badge cmp-action cmp-action-${rule.action.toLowerCase()}`}>
                {rule.action}
              </span>
            </td>
            <td data-label="Boards">
              {rule.boardKinds.length === 0 ? 'All' : rule.boardKinds.join(', ')}
            </td>
            <td data-label="Enabled">{rule.enabled ? 'Yes' : 'No'}</td>
            {editable && (
              <td>
                <RuleRowActions
                  rule={rule}
                  onEdit={() => onEdit(rule.id)}
                  onRemoved={() => onRemoved(rule.id)}
                />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RuleRowActions({
  rule,
  onEdit,
  onRemoved,
}: {
  rule: Rule;
  onEdit: () => void;
  onRemoved: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [result, remove] = useMutation<{ removeRule: boolean }>(REMOVE_RULE);
  async function confirm() {
    const answer = await remove({ ruleId: rule.id });
    if (answer.error === undefined) onRemoved();
    setConfirming(false);
  }
  return (
    <div class="cmp-row-actions">
      {confirming ? (
        <>
          <button
            type="button"
            class="danger primary"
            disabled={result.fetching}
            onClick={() => void confirm()}
          >
            Remove “{rule.name}”
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </>
      ) : (
        <>
          <button type="button" aria-label={`Edit ${rule.name}`} onClick={onEdit}>
            Edit
          </button>
          <button
            type="button"
            class="danger"
            aria-label={`Remove ${rule.name}`}
            onClick={() => setConfirming(true)}
          >
            Remove
          </button>
        </>
      )}
      {result.error !== undefined && <ErrorNotice error={result.error} />}
    </div>
  );
}

/** Sample text against this version: the outcome, the hits, and the text with hits marked. */
function TestBox({ ruleSetId }: { ruleSetId: string }) {
  const client = useClient();
  const [text, setText] = useState('');
  const [boardKind, setBoardKind] = useState<BoardKind>('PUBLIC');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const [tested, setTested] = useState<{ text: string; result: RuleTestResult } | null>(null);

  async function run(event: Event) {
    event.preventDefault();
    setBusy(true);
    const answer = await client
      .query<{ testRules: RuleTestResult }>(
        TEST_RULES,
        { ruleSetId, text, boardKind },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setBusy(false);
    setError(answer.error);
    if (answer.data !== undefined) setTested({ text, result: answer.data.testRules });
  }

  return (
    <section class="card stack" aria-labelledby="test-title">
      <h2 id="test-title" class="cmp-card-title">
        Test
      </h2>
      <form class="stack" onSubmit={(e) => void run(e)}>
        <label>
          Sample text
          <textarea
            value={text}
            rows={3}
            required
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
                e.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
        <div class="row">
          <label>
            Board kind
            <select
              value={boardKind}
              onChange={(e) => setBoardKind(e.currentTarget.value as BoardKind)}
            >
              {BOARD_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary" disabled={busy || text === ''}>
            Run test
          </button>
          <span class="muted cmp-small">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
          </span>
        </div>
      </form>
      {error !== undefined && <ErrorNotice error={error} />}
      {tested !== null && <TestResult text={tested.text} result={tested.result} />}
    </section>
  );
}

const STEP_WORDS: Record<string, string> = {
  EXACT: 'as written',
  DECODED: 'after decoding',
  REVERSED: 'backwards',
  MASKED: 'through a mask',
  SPACED: 'spaced out',
  LINES: 'one character per line',
};

const EXPANSION_WORDS: Record<string, string> = {
  INFLECTION: 'an inflection',
  COMPOUND: 'a compound',
  PINYIN: 'pinyin',
  PINYIN_INITIALS: 'pinyin initials',
  HOMOPHONE: 'a homophone',
  VARIANT: 'a variant numeral',
  SPLIT_CHARACTERS: 'split characters',
};

/** How a hit was found, in words: "pinyin, spaced out"; regex and PII hits: "–". */
function foundAs(hit: RuleHit): string {
  const parts = [
    hit.expansion === null ? null : (EXPANSION_WORDS[hit.expansion] ?? hit.expansion),
    hit.via === null || (hit.via === 'EXACT' && hit.expansion !== null)
      ? null
      : (STEP_WORDS[hit.via] ?? hit.via),
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? '–' : parts.join(', ');
}

function TestResult({ text, result }: { text: string; result: RuleTestResult }) {
  const segments = segmentsOf(text, result.hits);
  return (
    <div class="stack cmp-test-result" aria-live="polite">
      <p class="cmp-outcome">
        <strong>Outcome:</strong> <span class="code">{result.outcome}</span>
      </p>
      {result.hits.length === 0 ? (
        <p class="muted">No rule matched.</p>
      ) : (
        <>
          <div>
            <h3 class="cmp-small-heading">Highlighted</h3>
            <p class="content-body cmp-highlighted" data-testid="test-highlighted">
              {segments.map((segment) => {
                if (segment.hits.length === 0) return segment.text;
                const label = segment.hits.map((h) => `${h.ruleName} (${h.action})`).join('; ');
                return (
                  <Fragment key={segment.start}>
                    <mark title={label} class={segment.hits.length > 1 ? 'cmp-overlap' : undefined}>
                      {segment.text}
                    </mark>
                    <span class="cmp-sr-only"> [{label}]</span>
                  </Fragment>
                );
              })}
            </p>
          </div>
          <table class="responsive cmp-hits">
            <caption class="cmp-sr-only">Hits</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Action</th>
                <th scope="col">Matched</th>
                <th scope="col">Found as</th>
              </tr>
            </thead>
            <tbody>
              {result.hits.map((hit, i) => (
                <tr key={i}>
                  <td data-label="Rule">
                    {hit.ruleName}
                    {hit.piiKind !== null && <span class="muted"> ({hit.piiKind})</span>}
                  </td>
                  <td data-label="Action">{hit.action}</td>
                  <td data-label="Matched" class="cmp-matched">
                    “{hit.matchedText}”
                  </td>
                  <td data-label="Found as">{foundAs(hit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.redactedText !== text && (
            <div>
              <h3 class="cmp-small-heading">Redacted text</h3>
              <p class="content-body cmp-redacted">{result.redactedText}</p>
            </div>
          )}
        </>
      )}
    </div>
  );
}

const DAY_MS = 86_400_000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** What publishing would change on posts since a date. */
function Impact({
  ruleSetId,
  onPreview,
}: {
  ruleSetId: string;
  onPreview: (preview: LastPreview) => void;
}) {
  const client = useClient();
  const [since, setSince] = useState(() => isoDate(new Date(Date.now() - 30 * DAY_MS)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  const [preview, setPreview] = useState<ImpactPreview | null>(null);

  async function run(event: Event) {
    event.preventDefault();
    setBusy(true);
    const answer = await client
      .query<{ previewRuleSetImpact: ImpactPreview }>(
        PREVIEW_IMPACT,
        { ruleSetId, since: new Date(`${since}T00:00:00`).toISOString() },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setBusy(false);
    setError(answer.error);
    if (answer.data !== undefined) {
      setPreview(answer.data.previewRuleSetImpact);
      onPreview({ since, result: answer.data.previewRuleSetImpact });
    }
  }

  return (
    <section class="card stack" aria-labelledby="impact-title">
      <h2 id="impact-title" class="cmp-card-title">
        Impact on past posts
      </h2>
      <form class="row" onSubmit={(e) => void run(e)}>
        <label>
          Posts since
          <input
            type="date"
            value={since}
            required
            onInput={(e) => setSince(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy || since === ''}>
          Preview impact
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} />}
      {preview !== null && (
        <div class="stack" aria-live="polite">
          <p>
            <strong>{count(preview.changed)}</strong> of {count(preview.scanned)} posts scanned
            would change.
            {preview.truncated && ' The scan stopped before the newest posts: there may be more.'}
          </p>
          {preview.byAction.length > 0 && (
            <ul class="cmp-chips">
              {preview.byAction.map((a) => (
                <li key={a.action}>
                  <span class={`badge cmp-action cmp-action-${a.action.toLowerCase()}`}>
                    {a.action}
                  </span>{' '}
                  {a.count}
                </li>
              ))}
            </ul>
          )}
          {preview.samples.length > 0 && (
            <table class="responsive cmp-samples">
              <caption class="cmp-sr-only">Samples of changed posts</caption>
              <thead>
                <tr>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {preview.samples.map((s) => (
                  <tr key={s.contentId}>
                    <td data-label="Before" class="content-body">
                      {s.before}
                    </td>
                    <td data-label="After" class="content-body">
                      {s.after}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** The impact preview last run on the page, with the date it started from. */
interface LastPreview {
  since: string;
  result: ImpactPreview;
}

/** 27000 → "27,000". */
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Publishing a draft; the four-eyes rule explained before the server refuses. Publishing
 * retroactively asks first, saying what it does and, when a preview ran, how many posts.
 */
function Publish({
  version,
  preview,
  onPublished,
}: {
  version: RuleSetVersion;
  preview: LastPreview | null;
  onPublished: (retroactive: boolean) => void;
}) {
  const [retroactive, setRetroactive] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, publish] = useMutation<{ publishRuleSet: { version: number; status: string } }>(
    PUBLISH,
  );
  const [done, setDone] = useState<{ version: number; retroactive: boolean } | null>(null);
  /** The confirmation takes the focus when it opens (on Cancel, the harmless choice). */
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  if (version.status !== 'DRAFT')
    return done === null ? null : (
      <StatusNotice>
        Published: version {done.version} is now active.
        {done.retroactive && ' Past posts are being checked against it in the background.'}
      </StatusNotice>
    );

  async function send() {
    setConfirming(false);
    const answer = await publish({ ruleSetId: version.id, applyRetroactively: retroactive });
    const published = answer.data?.publishRuleSet;
    if (published !== undefined) {
      setDone({ version: published.version, retroactive });
      onPublished(retroactive);
    }
  }

  function submit(event: Event) {
    event.preventDefault();
    if (retroactive) setConfirming(true);
    else void send();
  }

  return (
    <section class="card stack" aria-labelledby="publish-title">
      <h2 id="publish-title" class="cmp-card-title">
        Publish
      </h2>
      {version.lastEditedByViewer && (
        <div class="notice notice-warn" data-testid="four-eyes-notice">
          You made the last change to this draft. Under the four-eyes rule another compliance
          officer must review and publish it.
        </div>
      )}
      {version.rollbackOf !== null && (
        <p class="muted">
          This draft restores the rules of version {version.rollbackOf}: publishing it rolls the
          jurisdiction back.
        </p>
      )}
      {confirming ? (
        <div
          class="notice notice-warn cmp-confirm stack"
          role="alertdialog"
          aria-labelledby="retro-confirm-title"
          aria-describedby="retro-confirm-text"
        >
          <strong id="retro-confirm-title">
            Publish version {version.version} and apply it to past posts?
          </strong>
          <p id="retro-confirm-text">
            Version {version.version} becomes the active rule set of {version.jurisdiction} now, and
            every post already published is checked against it in the background: posts its rules
            catch are held, flagged or withheld, and their authors are told.{' '}
            {preview === null
              ? 'No impact preview was run on this page: run “Preview impact” first to see how many posts would change.'
              : `The impact preview (posts since ${preview.since}) found ${count(preview.result.changed)} of ${count(preview.result.scanned)} posts would change${preview.result.truncated ? ', and stopped before the newest posts' : ''}.`}
          </p>
          <div class="row">
            <button
              type="button"
              class="danger primary"
              disabled={result.fetching}
              onClick={() => void send()}
            >
              Publish and apply to past posts
            </button>
            <button type="button" ref={cancel} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <form class="stack" onSubmit={submit}>
          <label class="inline">
            <input
              type="checkbox"
              checked={retroactive}
              onChange={(e) => setRetroactive(e.currentTarget.checked)}
            />
            Apply retroactively to posts already published
          </label>
          <div>
            <button type="submit" class="primary" disabled={result.fetching}>
              Publish version {version.version}
              {retroactive ? '…' : ''}
            </button>
          </div>
        </form>
      )}
      {result.error !== undefined && (
        <ErrorNotice error={result.error} title={problemTitle(result.error)} />
      )}
    </section>
  );
}

const POLL_MS = 1000;

/**
 * The retroactive run of a published version: a progress bar that polls the API about once a
 * second until the run has FINISHED or FAILED.
 */
function RunProgress({
  ruleSetId,
  initial,
}: {
  ruleSetId: string;
  initial: RetroactiveRun | null;
}) {
  const client = useClient();
  const [run, setRun] = useState<RetroactiveRun | null>(initial);
  const [error, setError] = useState<CombinedError | undefined>(undefined);
  /** Counts the answers: each one schedules the next poll while the run goes. */
  const [polls, setPolls] = useState(0);
  const going = run === null || run.status === 'RUNNING';

  useEffect(() => {
    if (!going) return undefined;
    let stopped = false;
    const timer = setTimeout(() => {
      void client
        .query<{ ruleSet: { retroactiveRun: RetroactiveRun | null } | null }>(
          RETROACTIVE_RUN,
          { id: ruleSetId },
          { requestPolicy: 'network-only' },
        )
        .toPromise()
        .then((answer) => {
          if (stopped) return;
          setError(answer.error);
          setRun(answer.data?.ruleSet?.retroactiveRun ?? null);
          setPolls((n) => n + 1);
        });
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [polls, going, ruleSetId]);

  const total = run?.total ?? 0;
  const scanned = run?.scanned ?? 0;
  return (
    <section class="card stack" aria-labelledby="run-title" data-testid="retroactive-run">
      <h2 id="run-title" class="cmp-card-title">
        Past posts
      </h2>
      <div
        class={`cmp-progress${run?.status === 'FAILED' ? ' cmp-progress-failed' : ''}`}
        role="progressbar"
        aria-labelledby="run-title"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={scanned}
        aria-valuetext={run === null ? 'Starting' : `${count(scanned)} of ${count(total)} scanned`}
      >
        <div
          class="cmp-progress-bar"
          style={{
            width: `${total === 0 ? (run?.status === 'FINISHED' ? 100 : 0) : Math.min(100, (scanned / total) * 100)}%`,
          }}
        />
      </div>
      <p aria-live="polite" data-testid="run-status">
        {run === null
          ? 'Starting the run over past posts…'
          : `${runWords(run)} Scanned ${count(scanned)} of ${count(total)} · ${count(run.changed)} changed`}
      </p>
      {run?.status === 'FAILED' && (
        <div class="notice notice-error" role="alert">
          The run failed after {count(scanned)} posts. It resumes where it stopped when the server
          next starts; the audit log has a ruleSet.retroactive.fail entry.
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
    </section>
  );
}

function runWords(run: RetroactiveRun): string {
  switch (run.status) {
    case 'RUNNING':
      return 'Running.';
    case 'FINISHED':
      return 'Finished.';
    case 'FAILED':
      return 'Failed.';
  }
}

/** The fields of a rule the diff compares, in words: before → after for each that differs. */
function fieldChanges(before: Rule, after: Rule): Array<[string, string, string]> {
  const text = (rule: Rule): Array<[string, string]> => [
    ['Name', rule.name],
    ['Matcher', matcherSummary(rule.matcher)],
    ['Evasions read', optionSummary(rule.matcher)],
    ['Action', rule.action],
    ['Boards', rule.boardKinds.length === 0 ? 'All' : rule.boardKinds.join(', ')],
    ['Fields', rule.fields.length === 0 ? 'Title and body' : rule.fields.join(', ')],
    ['Enabled', rule.enabled ? 'Yes' : 'No'],
    ['Legal basis', rule.legalBasis],
    ['Explanation', rule.explanation],
  ];
  const old = text(before);
  return text(after)
    .map(([field, value], i): [string, string, string] => [field, old[i][1], value])
    .filter(([, was, now]) => was !== now);
}

function optionSummary(m: Matcher): string {
  const set = Object.entries(m.options).filter(([, v]) => v !== null);
  return set.length === 0
    ? 'defaults'
    : set.map(([option, on]) => `${option} ${on === true ? 'on' : 'off'}`).join(', ');
}

/** What publishing this draft changes against the active version, for the second officer. */
function DiffView({ diff }: { diff: RuleSetDiff }) {
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <section class="card stack" aria-labelledby="diff-title" data-testid="rule-set-diff">
      <h2 id="diff-title" class="cmp-card-title">
        Changes against the active version
      </h2>
      {none ? (
        <p class="muted">Same rules as the active version: publishing changes no rule.</p>
      ) : (
        <>
          <p class="muted cmp-small">
            {diff.added.length} added · {diff.removed.length} removed · {diff.changed.length}{' '}
            changed (rules paired by name)
          </p>
          {diff.added.length > 0 && <DiffList title="Added" kind="added" rules={diff.added} />}
          {diff.removed.length > 0 && (
            <DiffList title="Removed" kind="removed" rules={diff.removed} />
          )}
          {diff.changed.length > 0 && (
            <div>
              <h3 class="cmp-small-heading">Changed</h3>
              <ul class="cmp-diff-list" aria-label="Changed rules">
                {diff.changed.map((c) => (
                  <li key={c.after.id} class="cmp-diff-changed">
                    <strong>{c.after.name}</strong>
                    <dl class="cmp-diff-fields">
                      {fieldChanges(c.before, c.after).map(([field, was, now]) => (
                        <div key={field}>
                          <dt>{field}</dt>
                          <dd>
                            <del>{was}</del> <span aria-hidden="true">→</span>
                            <span class="cmp-sr-only"> becomes </span> <ins>{now}</ins>
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function DiffList({
  title,
  kind,
  rules,
}: {
  title: string;
  kind: 'added' | 'removed';
  rules: Rule[];
}) {
  return (
    <div>
      <h3 class="cmp-small-heading">{title}</h3>
      <ul class="cmp-diff-list" aria-label={`${title} rules`}>
        {rules.map((rule) => (
          <li key={rule.id} class={`cmp-diff-${kind}`}>
            <strong>{rule.name}</strong>{' '}
            <span class={`badge cmp-action cmp-action-${rule.action.toLowerCase()}`}>
              {rule.action}
            </span>
            <div class="muted cmp-small cmp-wrap">{matcherSummary(rule.matcher)}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function problemTitle(error: CombinedError): string {
  return problemOf(error).reason === 'FOUR_EYES' ? 'Not published (four eyes):' : 'Not published:';
}
