import type { CombinedError } from '@urql/core';
import { useClient, useMutation, useQuery } from '@urql/preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice, extensionsOf, type Problem, problemOf } from '../errors';
import { Loading, Page, When } from '../page';
import { href, navigate } from '../router';
import {
  age,
  boardOf,
  CLAIM_REVIEW_ITEM,
  claimedByOther,
  type CommentContent,
  type Content,
  dayAndTime,
  excerpt,
  DECIDE_REVIEW_ITEM,
  type DecideInput,
  kindLabel,
  PARENT_COMMENT,
  type ParentCommentData,
  type QueueData,
  type ReasonCode,
  REVIEW_ITEM,
  REVIEW_QUEUE,
  type ReviewDecision,
  type ReviewItem,
  type ReviewItemData,
  type SanctionKind,
  timeOf,
} from './api';
import { KeyboardHelp, type Shortcut } from './keyboard-help';
import { apiFilter, loadQueueView, useShortcuts } from './queue-state';
import {
  contentStatusWords,
  DECISION_WORDS,
  enumWords,
  eventActor,
  eventWords,
  historyWords,
  reasonWords,
  sanctionWords,
  STATUS_WORDS,
} from './words';
import './moderation.css';

/** One review item: its content, reasons and history, a claim, and the decision form. */
export function ReviewItemPage({ id }: { id: string }) {
  // A new id is a new page: no state (form, messages) carries over from the previous item.
  return <ReviewItemView key={id} id={id} />;
}

const DECISION_VERB = DECISION_WORDS;
const STATUS_TEXT: Record<string, string> = STATUS_WORDS;

/** What a one-key decision asks before it is sent. */
const CONFIRM_TEXT: Record<'APPROVE' | 'IGNORE', string> = {
  APPROVE: 'Approve this post?',
  IGNORE: 'Ignore the reports and leave the post as it is?',
};

/** The newer of two copies of the item (by version); `b` wins a tie. */
function newest(a: ReviewItem | null | undefined, b: ReviewItem | null): ReviewItem | null {
  if (a === null || a === undefined) return b;
  if (b === null) return a;
  return b.version >= a.version ? b : a;
}

const categoryName = (category: string) =>
  category.charAt(0) + category.slice(1).toLowerCase().replace(/_/g, ' ');

function groupByCategory(codes: readonly ReasonCode[]): Array<[string, ReasonCode[]]> {
  const groups = new Map<string, ReasonCode[]>();
  for (const code of codes) groups.set(code.category, [...(groups.get(code.category) ?? []), code]);
  return [...groups];
}

/** What a decision did, in a sentence, from the item the server answered with. */
function decisionMessage(item: ReviewItem, sanction: DecideInput['sanction']): string {
  const verb = item.decision === null ? STATUS_TEXT[item.status] : DECISION_VERB[item.decision];
  const post = `The post is now ${contentStatusWords(item.content.status).toLowerCase()}.`;
  const penalty =
    sanction === undefined
      ? ''
      : sanction.kind === 'SUSPENSION'
        ? ` The author is suspended for ${sanction.days ?? 0} days.`
        : sanction.kind === 'WARNING'
          ? ' The author received a formal warning.'
          : ' The author is banned.';
  return `${verb}. ${post}${penalty}`;
}

function ReviewItemView({ id }: { id: string }) {
  const client = useClient();
  const [result] = useQuery<ReviewItemData>({ query: REVIEW_ITEM, variables: { id } });
  const [claimState, claim] = useMutation<{ claimReviewItem: ReviewItem }>(CLAIM_REVIEW_ITEM);
  const [decideState, decide] = useMutation<{ decideReviewItem: ReviewItem }>(DECIDE_REVIEW_ITEM);
  const [local, setLocal] = useState<ReviewItem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [note, setNote] = useState('');
  const [sanction, setSanction] = useState<SanctionKind | ''>('');
  const [days, setDays] = useState('7');
  const [rejecting, setRejecting] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);
  const [lookingForNext, setLookingForNext] = useState(false);
  /** A one-key decision waiting for Enter (confirm) or Esc (cancel). */
  const [confirming, setConfirming] = useState<'APPROVE' | 'IGNORE' | null>(null);
  const reasonSelect = useRef<HTMLSelectElement>(null);
  const message = useRef<HTMLDivElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const item = newest(result.data?.reviewItem, local);
  const codes = result.data?.reasonCodes ?? [];
  const pending = item?.status === 'PENDING';
  const busy = claimState.fetching || decideState.fetching;
  const canIgnore = item !== null && item.kind !== 'RULE_HOLD' && item.kind !== 'APPEAL';
  const mayDecide = pending && item.viewerMayDecide;
  const viewerHandle = result.data?.viewer?.staffHandle ?? null;

  // The confirmation bar takes the focus as it appears: Enter confirms, Esc cancels.
  useLayoutEffect(() => {
    if (confirming !== null) confirmButton.current?.focus();
  }, [confirming]);
  // Focus goes to what just happened: the result of a decision, a conflict, a message.
  useEffect(() => {
    if (done !== null || problem !== null || info !== null) message.current?.focus();
  }, [done, problem, info]);

  /** Reloads the item from the server, past any cache. */
  async function refresh(): Promise<ReviewItem | null> {
    const answer = await client
      .query<ReviewItemData>(REVIEW_ITEM, { id }, { requestPolicy: 'network-only' })
      .toPromise();
    const fresh = answer.data?.reviewItem ?? null;
    if (fresh !== null) setLocal(fresh);
    return fresh;
  }

  /** A failed claim or decision: conflicts are explained by what the item is now. */
  async function failed(error: CombinedError) {
    const found = problemOf(error);
    if (found.code !== 'CONFLICT') {
      setProblem(found);
      return;
    }
    const fresh = await refresh();
    const { claimExpiresAt } = extensionsOf(error);
    let text: string;
    if (fresh !== null && fresh.status !== 'PENDING') {
      // A decided item also bumps its version, so a late decision can be STALE_VERSION.
      text = `Another moderator decided this item first: it was ${STATUS_TEXT[fresh.status]?.toLowerCase() ?? fresh.status}. The outcome is shown below; nothing was changed.`;
    } else if (found.reason === 'CLAIMED' || (fresh !== null && claimedByOther(fresh))) {
      // A claim also bumps the version: a stale page meets it as STALE_VERSION.
      const until =
        fresh !== null && claimedByOther(fresh)
          ? fresh.claimExpiresAt
          : typeof claimExpiresAt === 'string'
            ? claimExpiresAt
            : null;
      text = `Another moderator holds the claim on this item${until ? ` until ${timeOf(until)}` : ''}. The item has been reloaded; you can act on it once the claim ends.`;
    } else {
      text =
        'This item changed since you opened it (a new report, a claim or a decision). It has been reloaded: check it and decide again.';
    }
    setProblem({
      code: 'CONFLICT',
      ...(found.reason ? { reason: found.reason } : {}),
      message: text,
    });
  }

  function clearMessages() {
    setProblem(null);
    setDone(null);
    setInfo(null);
  }

  async function onClaim() {
    if (item === null || !pending || busy) return;
    clearMessages();
    const answer = await claim({ id: item.id, version: item.version });
    if (answer.error !== undefined) return failed(answer.error);
    if (answer.data !== undefined) {
      setLocal(answer.data.claimReviewItem);
      const until = answer.data.claimReviewItem.claimExpiresAt;
      setInfo(`Claimed: the item is yours${until === null ? '' : ` until ${timeOf(until)}`}.`);
    }
  }

  async function onDecide(decision: ReviewDecision) {
    if (item === null || !pending || busy) return;
    setConfirming(null);
    clearMessages();
    if (decision === 'REJECT' && reasonCode === '') {
      setRejecting(true);
      setReasonMissing(true);
      reasonSelect.current?.focus();
      return;
    }
    if (decision !== 'REJECT' && sanction !== '') {
      setProblem({
        code: 'BAD_USER_INPUT',
        message: 'A sanction goes with a rejection only: choose “No sanction” or reject.',
      });
      return;
    }
    const dayCount = Number.parseInt(days, 10);
    if (sanction === 'SUSPENSION' && !(dayCount >= 1 && dayCount <= 3650)) {
      setProblem({ code: 'BAD_USER_INPUT', message: 'A suspension lasts 1 to 3,650 days.' });
      return;
    }
    const penalty: DecideInput['sanction'] =
      decision !== 'REJECT' || sanction === ''
        ? undefined
        : sanction === 'SUSPENSION'
          ? { kind: sanction, days: dayCount }
          : { kind: sanction };
    const input: DecideInput = {
      id: item.id,
      version: item.version,
      decision,
      ...(decision === 'REJECT' ? { reasonCode } : {}),
      ...(note.trim() === '' ? {} : { note: note.trim() }),
      ...(penalty === undefined ? {} : { sanction: penalty }),
    };
    const answer = await decide({ input });
    if (answer.error !== undefined) return failed(answer.error);
    if (answer.data !== undefined) {
      setLocal(answer.data.decideReviewItem);
      setRejecting(false);
      setDone(decisionMessage(answer.data.decideReviewItem, penalty));
    }
  }

  /** Opens the next pending item of the queue, with the queue's current filter and order. */
  async function next() {
    if (lookingForNext) return;
    setLookingForNext(true);
    const view = loadQueueView();
    const answer = await client
      .query<QueueData>(
        REVIEW_QUEUE,
        { filter: apiFilter(view.filter), first: 20, order: view.order },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLookingForNext(false);
    if (answer.error !== undefined) {
      setProblem(problemOf(answer.error));
      return;
    }
    const candidates = (answer.data?.reviewQueue.edges ?? []).map((edge) => edge.node);
    const target =
      candidates.find((c) => c.id !== id && !claimedByOther(c)) ??
      candidates.find((c) => c.id !== id);
    if (target === undefined) {
      clearMessages();
      setInfo('No other item is waiting with the current queue filters.');
      return;
    }
    navigate('queue', target.id);
  }

  useShortcuts((key, event) => {
    if (confirming !== null) {
      // While a one-key decision waits, only Esc (cancel) and Enter (confirm) act; Enter on a
      // focused button is that button's.
      if (key === 'Escape') {
        setConfirming(null);
        return true;
      }
      const target = event.target;
      if (key !== 'Enter' || (target instanceof HTMLElement && target.closest('a, button')))
        return false;
      void onDecide(confirming);
      return true;
    }
    if (key === 'n') {
      void next();
      return true;
    }
    if (item === null || !mayDecide || busy) return false;
    switch (key) {
      case 'a':
        // One key never publishes on its own: it asks first (docs/console.md).
        clearMessages();
        setConfirming('APPROVE');
        return true;
      case 'i':
        if (!canIgnore) return false;
        clearMessages();
        setConfirming('IGNORE');
        return true;
      case 'c':
        void onClaim();
        return true;
      case 'r':
        clearMessages();
        setRejecting(true);
        reasonSelect.current?.focus();
        return true;
      default:
        return false;
    }
  });

  const title = item === null ? 'Review item' : `Review: ${kindLabel(item.kind).toLowerCase()}`;
  const shortcuts: Shortcut[] = [
    { keys: ['a'], what: 'approve (asks first: Enter confirms, Esc cancels)' },
    { keys: ['r'], what: 'reject: choose a reason, then Enter' },
    { keys: ['i'], what: 'ignore the reports (asks first: Enter confirms, Esc cancels)' },
    { keys: ['c'], what: 'claim the item' },
    { keys: ['n'], what: 'next pending item' },
  ];
  const nextButton = (
    <button
      type="button"
      class={done !== null ? 'primary' : undefined}
      onClick={() => void next()}
      aria-keyshortcuts="n"
      disabled={lookingForNext}
    >
      Next item <kbd aria-hidden="true">n</kbd>
    </button>
  );

  return (
    <Page
      title={title}
      actions={
        <>
          <a href={href('queue')} class="button-link">
            Back to queue
          </a>
          {done === null && nextButton}
          <KeyboardHelp shortcuts={shortcuts} />
        </>
      }
    >
      {result.fetching && result.data === undefined && <Loading what="Loading the item" />}
      {result.error !== undefined && result.data === undefined && (
        <ErrorNotice error={result.error} title="The item could not be loaded." />
      )}
      {result.data !== undefined && item === null && (
        <p class="notice notice-warn">
          There is no review item with this id that you may see. It may belong to a board outside
          your scope.
        </p>
      )}
      <div ref={message} tabIndex={-1} class="item-messages">
        {problem !== null && <ErrorNotice error={problem} />}
        {info !== null && (
          <div class="notice notice-ok" role="status">
            {info}
          </div>
        )}
        {done !== null && (
          <div class="notice notice-ok decision-done" role="status">
            <p>{done}</p>
            {nextButton}
          </div>
        )}
      </div>
      {confirming !== null && (
        <div class="confirm-bar" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">
            <strong>{CONFIRM_TEXT[confirming]}</strong> Press <kbd>Enter</kbd> to confirm,{' '}
            <kbd>Esc</kbd> to cancel.
          </p>
          <button
            ref={confirmButton}
            type="button"
            class="primary"
            onClick={() => void onDecide(confirming)}
          >
            {confirming === 'APPROVE' ? 'Yes, approve' : 'Yes, ignore'}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      {item !== null && (
        <div class="review-layout">
          <div class="stack review-main">
            {item.content.__typename === 'Comment' && <CommentContext comment={item.content} />}
            <ContentCard content={item.content} />
            {item.kind === 'APPEAL' && <AppealCard item={item} codes={codes} />}
            <section class="card" aria-labelledby="reasons-title">
              <h2 id="reasons-title">Why it is here</h2>
              <ul class="reasons">
                {item.reasons
                  .filter((reason) => reason.kind !== 'APPEAL')
                  .map((reason, index) => (
                    <li key={index}>
                      <span class="badge">{kindLabel(reason.kind)}</span> {reasonWords(reason)}
                      {reason.kind !== 'USER_REPORTS' && reason.ruleName !== null && (
                        <div class="muted small">{reason.summary}</div>
                      )}
                    </li>
                  ))}
                {item.kind === 'APPEAL' && (
                  <li>
                    <span class="badge">{kindLabel('APPEAL')}</span> The author appealed the
                    decision shown above.
                  </li>
                )}
              </ul>
            </section>
            <ReportsCard item={item} />
          </div>
          <aside class="stack review-aside" aria-label="Review">
            <section class="card" aria-labelledby="state-title">
              <h2 id="state-title">State</h2>
              <dl class="facts">
                <dt>Status</dt>
                <dd>
                  <span class={`badge status-${item.status.toLowerCase()}`}>
                    {STATUS_TEXT[item.status] ?? item.status}
                  </span>
                </dd>
                {item.decision !== null && (
                  <>
                    <dt>Decision</dt>
                    <dd>
                      {DECISION_VERB[item.decision]}
                      {item.reasonCode !== null &&
                        ` (${codes.find((c) => c.code === item.reasonCode)?.label ?? item.reasonCode})`}
                    </dd>
                  </>
                )}
                <dt>Priority</dt>
                <dd>{item.priority.toFixed(1)}</dd>
                <dt>In the queue</dt>
                <dd class="queue-since">
                  since {dayAndTime(item.enteredQueueAt)} ({age(item.enteredQueueAt)})
                </dd>
                <dt>Claim</dt>
                <dd class="claim-state">
                  {item.claimedByViewer
                    ? `You hold it until ${timeOf(item.claimExpiresAt ?? '')}`
                    : claimedByOther(item)
                      ? `Claimed by ${item.claimedByHandle ?? 'another moderator'} until ${timeOf(item.claimExpiresAt ?? '')}`
                      : 'Not claimed'}
                </dd>
              </dl>
              {pending && !item.viewerMayDecide && (
                <p class="notice notice-warn may-not-decide">{whyNot(item, viewerHandle)}</p>
              )}
              {mayDecide && (
                <button
                  type="button"
                  onClick={() => void onClaim()}
                  aria-keyshortcuts="c"
                  disabled={busy}
                >
                  {item.claimedByViewer ? 'Renew claim' : 'Claim'} <kbd aria-hidden="true">c</kbd>
                </button>
              )}
            </section>
            {mayDecide && (
              <form
                class="card stack decide-form"
                aria-labelledby="decide-title"
                onSubmit={(event) => {
                  event.preventDefault();
                  void onDecide(rejecting ? 'REJECT' : 'APPROVE');
                }}
              >
                <h2 id="decide-title">Decide</h2>
                <label>
                  Reason code {rejecting || reasonMissing ? '(required to reject)' : '(to reject)'}
                  <select
                    ref={reasonSelect}
                    name="reasonCode"
                    value={reasonCode}
                    aria-invalid={reasonMissing && reasonCode === '' ? 'true' : undefined}
                    aria-describedby={reasonMissing ? 'reason-missing' : undefined}
                    onChange={(e) => {
                      setReasonCode(e.currentTarget.value);
                      setReasonMissing(false);
                    }}
                    onKeyDown={(e) => {
                      // After `r`: Enter on the chosen reason rejects.
                      if (e.key === 'Enter' && rejecting && reasonCode !== '') {
                        e.preventDefault();
                        void onDecide('REJECT');
                      }
                    }}
                  >
                    <option value="">Choose a reason…</option>
                    {groupByCategory(codes).map(([category, group]) => (
                      <optgroup key={category} label={categoryName(category)}>
                        {group.map((code) => (
                          <option key={code.code} value={code.code}>
                            {code.label}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </label>
                {reasonMissing && reasonCode === '' && (
                  <p id="reason-missing" class="field-error">
                    Choose a reason code: a rejection needs one.
                  </p>
                )}
                {rejecting && !reasonMissing && (
                  <p class="muted small">Choose a reason, then press Enter or Reject.</p>
                )}
                <label>
                  Note to the author (optional)
                  <textarea
                    name="note"
                    maxLength={2000}
                    value={note}
                    onInput={(e) => setNote(e.currentTarget.value)}
                  />
                </label>
                <fieldset class="sanction">
                  <legend>Sanction (with a rejection only)</legend>
                  <p class="author-history">{historyWords(item.authorHistory)}</p>
                  <div class="row">
                    <div class="field">
                      <label for="sanction-kind">Sanction</label>
                      <select
                        id="sanction-kind"
                        name="sanction"
                        value={sanction}
                        onChange={(e) => setSanction(e.currentTarget.value as SanctionKind | '')}
                      >
                        <option value="">No sanction</option>
                        <option value="WARNING">Warning</option>
                        <option value="SUSPENSION">Suspension</option>
                        <option value="BAN">Ban</option>
                      </select>
                    </div>
                    {sanction === 'SUSPENSION' && (
                      <div class="field">
                        <label for="sanction-days">Days</label>
                        <input
                          id="sanction-days"
                          type="number"
                          name="days"
                          min={1}
                          max={3650}
                          required
                          value={days}
                          onInput={(e) => setDays(e.currentTarget.value)}
                        />
                      </div>
                    )}
                  </div>
                </fieldset>
                <div class="decide-buttons">
                  <button
                    type="button"
                    class="primary"
                    onClick={() => void onDecide('APPROVE')}
                    aria-keyshortcuts="a"
                    disabled={busy}
                  >
                    {item.kind === 'APPEAL' ? 'Approve (restore)' : 'Approve'}{' '}
                    <kbd aria-hidden="true">a</kbd>
                  </button>
                  <button
                    type="button"
                    class="danger primary"
                    onClick={() => void onDecide('REJECT')}
                    aria-keyshortcuts="r"
                    disabled={busy}
                  >
                    {item.kind === 'APPEAL' ? 'Reject (keep removal)' : 'Reject'}{' '}
                    <kbd aria-hidden="true">r</kbd>
                  </button>
                  {canIgnore && (
                    <button
                      type="button"
                      onClick={() => void onDecide('IGNORE')}
                      aria-keyshortcuts="i"
                      disabled={busy}
                    >
                      Ignore <kbd aria-hidden="true">i</kbd>
                    </button>
                  )}
                </div>
                {busy && (
                  <p class="muted small" role="status">
                    Sending…
                  </p>
                )}
              </form>
            )}
          </aside>
          <section class="card review-history" aria-labelledby="history-title">
            <h2 id="history-title">History</h2>
            <ol class="history">
              {item.history.map((event, index) => (
                <li key={index}>
                  <When at={event.at} /> <strong>{eventWords(event)}</strong>{' '}
                  <span class="muted">{eventActor(event, item.kind)}</span>
                  {event.note !== null && <div class="history-note">{event.note}</div>}
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </Page>
  );
}

function ContentCard({ content }: { content: Content }) {
  const board = boardOf(content);
  return (
    <article class="card content-card" aria-labelledby="content-title">
      <p class="muted small content-kind">
        {content.__typename === 'Thread' ? 'Thread' : 'Comment'} ·{' '}
        <span class={`badge content-${content.status.toLowerCase()}`}>
          {contentStatusWords(content.status)}
        </span>
      </p>
      <h2 id="content-title">
        {content.__typename === 'Thread'
          ? content.title || '(no title)'
          : `Comment on “${content.thread.title}”`}
      </h2>
      <div class="content-body">{content.body || <span class="muted">(empty)</span>}</div>
      <dl class="facts content-facts">
        <dt>Board</dt>
        <dd>
          {board.name} ({board.kind === 'COMPANY' ? 'company' : 'public'}, {board.jurisdiction})
        </dd>
        <dt>Author</dt>
        <dd>
          {content.author.handle}, {content.author.employerLabel}
        </dd>
        <dt>Posted</dt>
        <dd>
          <When at={content.createdAt} />
        </dd>
      </dl>
    </article>
  );
}

/** Why the viewer is not offered the decision buttons, in a sentence. */
function whyNot(item: ReviewItem, viewerHandle: string | null): string {
  if (claimedByOther(item))
    return `${item.claimedByHandle ?? 'Another moderator'} holds the claim until ${timeOf(item.claimExpiresAt ?? '')}: only they can decide it until then.`;
  if (
    item.kind === 'APPEAL' &&
    item.appealOf !== null &&
    item.appealOf.deciderHandle === viewerHandle
  )
    return 'You made the decision under appeal, so another moderator must decide this appeal.';
  return 'You wrote this post, so another moderator must decide it.';
}

/** For a comment: the thread's opening post and, for a reply, the comment it answers. */
function CommentContext({ comment }: { comment: CommentContent }) {
  const [parent] = useQuery<ParentCommentData>({
    query: PARENT_COMMENT,
    variables: { id: comment.parentId ?? '' },
    pause: comment.parentId === null,
  });
  const thread = comment.thread;
  return (
    <section class="card context-card" aria-labelledby="context-title">
      <h2 id="context-title">Context</h2>
      <div class="context-thread">
        <p class="muted small">
          Thread by {thread.author.handle}, {thread.author.employerLabel}
        </p>
        <h3>{thread.title || '(no title)'}</h3>
        <p class="context-excerpt">
          {thread.body === '' ? <span class="muted">(empty)</span> : excerpt(thread.body, 400)}
        </p>
      </div>
      {comment.parentId !== null && (
        <div class="context-parent">
          <p class="muted small">In reply to</p>
          {parent.data?.node != null ? (
            <blockquote>
              <p class="muted small">
                {parent.data.node.author.handle} · {contentStatusWords(parent.data.node.status)}
              </p>
              {parent.data.node.body === '' ? (
                <span class="muted">(deleted)</span>
              ) : (
                excerpt(parent.data.node.body, 400)
              )}
            </blockquote>
          ) : (
            <p class="muted">
              {parent.fetching
                ? 'Loading the comment it answers…'
                : 'The comment it answers is not available.'}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** For an appeal: the decision under appeal beside the author's statement. */
function AppealCard({ item, codes }: { item: ReviewItem; codes: readonly ReasonCode[] }) {
  const statement = item.reasons.find((reason) => reason.kind === 'APPEAL')?.summary ?? '';
  const decision = item.appealOf;
  return (
    <section class="card appeal-card" aria-labelledby="appeal-title">
      <h2 id="appeal-title">The appeal</h2>
      <div class="appeal-columns">
        <div class="appealed-decision">
          <h3>Decision under appeal</h3>
          {decision === null ? (
            <p class="muted">The decision under appeal is no longer on record.</p>
          ) : (
            <dl class="facts">
              <dt>Decision</dt>
              <dd>
                {DECISION_WORDS[decision.decision]}
                {decision.reasonCode !== null &&
                  ` (${codes.find((c) => c.code === decision.reasonCode)?.label ?? enumWords(decision.reasonCode)})`}
              </dd>
              <dt>Sanction</dt>
              <dd>
                {decision.sanction === null
                  ? 'None'
                  : enumWords(
                      sanctionWords(decision.sanction, decision.sanctionDays).replace(/^an? /, ''),
                    )}
              </dd>
              <dt>Note to the author</dt>
              <dd>{decision.note ?? <span class="muted">(none)</span>}</dd>
              <dt>Decided by</dt>
              <dd>
                {decision.deciderHandle} · {dayAndTime(decision.decidedAt)}
              </dd>
            </dl>
          )}
        </div>
        <div class="appeal-statement">
          <h3>The author’s statement</h3>
          <blockquote>{statement || <span class="muted">(no statement)</span>}</blockquote>
        </div>
      </div>
    </section>
  );
}

/** Every report of the post: reason, the reporter's own words, when; never who. */
function ReportsCard({ item }: { item: ReviewItem }) {
  if (item.reports.length === 0) return null;
  return (
    <section class="card reports-card" aria-labelledby="reports-title">
      <h2 id="reports-title">Reports ({item.reports.length})</h2>
      <p class="muted small">Reporters are not named.</p>
      <ol class="reports">
        {item.reports.map((report, index) => (
          <li key={index}>
            <strong>{enumWords(report.reason)}</strong>{' '}
            <span class="muted small">· {dayAndTime(report.at)}</span>
            {report.details === null ? (
              <div class="muted small">No details given.</div>
            ) : (
              <blockquote class="report-details">{report.details}</blockquote>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
