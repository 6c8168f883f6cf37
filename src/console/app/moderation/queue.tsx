import type { CombinedError, OperationResult } from '@urql/core';
import { useClient, useMutation, useQuery, useSubscription } from '@urql/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { Loading, Page } from '../page';
import { href, navigate } from '../router';
import {
  age,
  boardOf,
  claimedByOther,
  DECIDE_REVIEW_ITEMS,
  type DecideManyData,
  excerpt,
  FILTER_OPTIONS,
  type FilterOptionsData,
  kindLabel,
  type QueueChangedData,
  type QueueData,
  type QueueFilter,
  type QueueItem,
  REVIEW_KINDS,
  REVIEW_QUEUE,
  REVIEW_QUEUE_CHANGED,
  REVIEW_STATUSES,
  type ReviewDecision,
  type ReviewStatus,
  timeOf,
} from './api';
import { KeyboardHelp, type Shortcut } from './keyboard-help';
import { BulkBar, type BulkOutcome } from './bulk-bar';
import { contentStatusWords, decidedWords, plural, reasonWords, STATUS_WORDS } from './words';
import {
  apiFilter,
  loadQueueView,
  type QueueView,
  saveQueueView,
  useShortcuts,
} from './queue-state';
import './moderation.css';

const PAGE_SIZE = 25;

interface Loaded {
  items: QueueItem[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
  jurisdictions: string[];
  /** The search these rows answer. */
  search?: string;
}

const QUEUE_SHORTCUTS: Shortcut[] = [
  { keys: ['j'], what: 'next row' },
  { keys: ['k'], what: 'previous row' },
  { keys: ['Enter', 'o'], what: 'open the selected item' },
  { keys: ['x'], what: 'select or unselect the selected row for a bulk decision' },
  { keys: ['/'], what: 'search' },
];

/** What changed between two loads of the queue, in words; '' when nothing visible did. */
function describeChange(before: QueueItem[], after: QueueItem[]): string {
  const old = new Map(before.map((item) => [item.id, item]));
  const now = new Set(after.map((item) => item.id));
  const added = after.filter((item) => !old.has(item.id)).length;
  const left = before.filter((item) => !now.has(item.id)).length;
  const changed = after.filter((item) => {
    const previous = old.get(item.id);
    return previous !== undefined && previous.version !== item.version;
  }).length;
  const parts = [
    added > 0 ? plural(added, 'new item') : '',
    left > 0 ? `${plural(left, 'item')} left` : '',
    changed > 0 ? `${plural(changed, 'item')} changed` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? '' : `Queue updated: ${parts.join(', ')}.`;
}

/** The review queue: filters, a live table of pending items, paging and j/k/Enter keys. */
export function QueuePage() {
  const client = useClient();
  const [view, setView] = useState<QueueView>(loadQueueView);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** Rows ticked for a bulk decision. */
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);
  const [bulkState, decideMany] = useMutation<DecideManyData>(DECIDE_REVIEW_ITEMS);
  const search = useRef<HTMLInputElement>(null);
  const applied = useRef<Loaded | null>(null);
  const generation = useRef(0);
  const table = useRef<HTMLTableSectionElement>(null);
  const filter = apiFilter(view.filter);
  const filterKey = JSON.stringify([filter, view.order]);

  /** At least `count` items of the queue (or all there are), page by page. */
  async function fetchItems(count: number): Promise<Loaded | CombinedError> {
    const items: QueueItem[] = [];
    let after: string | null = null;
    for (;;) {
      const result: OperationResult<QueueData> = await client
        .query<QueueData>(
          REVIEW_QUEUE,
          {
            filter,
            first: Math.min(100, Math.max(PAGE_SIZE, count - items.length)),
            after,
            order: view.order,
          },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (result.error !== undefined) return result.error;
      const page: QueueData['reviewQueue'] | undefined = result.data?.reviewQueue;
      if (page === undefined)
        return { items, endCursor: after, hasNextPage: false, totalCount: 0, jurisdictions: [] };
      items.push(...page.edges.map((edge) => edge.node));
      after = page.pageInfo.endCursor ?? after;
      if (!page.pageInfo.hasNextPage || items.length >= count)
        return {
          items,
          endCursor: after,
          hasNextPage: page.pageInfo.hasNextPage,
          totalCount: page.totalCount,
          jurisdictions: page.jurisdictions,
          search: filter.search,
        };
    }
  }

  /** Loads the queue again; `announce` says what changed since the last load. */
  async function reload(announce: boolean) {
    const mine = ++generation.current;
    const count = Math.max(PAGE_SIZE, applied.current?.items.length ?? 0);
    const answer = await fetchItems(count);
    if (mine !== generation.current) return;
    if ('graphQLErrors' in answer) {
      setError(answer);
      return;
    }
    setError(null);
    if (announce && applied.current !== null) {
      const before = applied.current.items;
      const message = describeChange(before, answer.items);
      if (message !== '') {
        // Emptied first, so that the same words twice in a row are announced twice.
        setAnnouncement('');
        setTimeout(() => setAnnouncement(message), 100);
      }
      const known = new Set(before.map((item) => item.id));
      setFresh(new Set(answer.items.filter((item) => !known.has(item.id)).map((item) => item.id)));
    }
    applied.current = answer;
    setLoaded(answer);
  }

  async function loadMore() {
    const current = applied.current;
    if (current === null || !current.hasNextPage) return;
    setLoadingMore(true);
    const mine = ++generation.current;
    const result = await client
      .query<QueueData>(
        REVIEW_QUEUE,
        { filter, first: PAGE_SIZE, after: current.endCursor, order: view.order },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLoadingMore(false);
    if (mine !== generation.current) return;
    if (result.error !== undefined) {
      setError(result.error);
      return;
    }
    const page = result.data?.reviewQueue;
    if (page === undefined) return;
    const known = new Set(current.items.map((item) => item.id));
    const next: Loaded = {
      items: [...current.items, ...page.edges.map((e) => e.node).filter((n) => !known.has(n.id))],
      endCursor: page.pageInfo.endCursor ?? current.endCursor,
      hasNextPage: page.pageInfo.hasNextPage,
      totalCount: page.totalCount,
      jurisdictions: page.jurisdictions,
      search: current.search,
    };
    applied.current = next;
    setLoaded(next);
  }

  // A new filter or order starts again from the first page, with nothing selected.
  useEffect(() => {
    applied.current = null;
    setLoaded(null);
    setFresh(new Set());
    setChecked(new Set());
    void reload(false);
  }, [filterKey]);

  // Live: any change in this view of the queue reloads the loaded part and says what changed.
  const [live] = useSubscription<QueueChangedData>({
    query: REVIEW_QUEUE_CHANGED,
    variables: { filter },
  });
  useEffect(() => {
    if (live.data !== undefined && applied.current !== null) void reload(true);
  }, [live.data]);

  function update(next: QueueView) {
    saveQueueView(next);
    setView(next);
  }
  const setFilter = (patch: Partial<QueueFilter>) =>
    update({ ...view, filter: apiFilter({ ...view.filter, ...patch }) });

  const items = loaded?.items ?? [];
  const selectedIndex = items.findIndex((item) => item.id === selectedId);
  const status: ReviewStatus = view.filter.status ?? 'PENDING';
  const pendingView = status === 'PENDING';
  const shownChecked = items.filter((item) => checked.has(item.id));

  function toggle(id: string, on: boolean) {
    const next = new Set(checked);
    if (on) next.add(id);
    else next.delete(id);
    setChecked(next);
  }

  /**
   * A bulk decision on the ticked rows (decideReviewItems): the decided ones leave the
   * selection, the failed ones stay ticked and are named with the server's reason.
   */
  async function bulkDecide(decision: ReviewDecision, reasonCode: string | null) {
    const targets = shownChecked;
    if (targets.length === 0 || bulkState.fetching) return;
    setBulkOutcome(null);
    const inputs = targets.map((item) => ({
      id: item.id,
      version: item.version,
      decision,
      ...(reasonCode === null ? {} : { reasonCode }),
    }));
    const answer = await decideMany({ inputs });
    const decided = new Set((answer.data?.decideReviewItems ?? []).map((item) => item.id));
    const failures = (answer.error?.graphQLErrors ?? []).map((error) => {
      const index = typeof error.extensions.index === 'number' ? error.extensions.index : -1;
      const item = targets[index];
      return {
        id: item?.id ?? (typeof error.extensions.id === 'string' ? error.extensions.id : ''),
        title: item === undefined ? 'An item' : rowTitle(item),
        message: error.message,
        code: typeof error.extensions.code === 'string' ? error.extensions.code : 'ERROR',
      };
    });
    if (answer.data === undefined && failures.length === 0 && answer.error !== undefined) {
      setError(answer.error);
      return;
    }
    setChecked(new Set([...checked].filter((id) => !decided.has(id))));
    setBulkOutcome({ decision, decided: decided.size, failures });
    await reload(false);
  }

  function select(index: number) {
    const item = items[index];
    if (item === undefined) return;
    setSelectedId(item.id);
    table.current
      ?.querySelector<HTMLAnchorElement>(`tr[data-id="${CSS.escape(item.id)}"] a`)
      ?.focus();
  }

  useShortcuts((key, event) => {
    if (key === '/') {
      search.current?.focus();
      return true;
    }
    if (items.length === 0) return false;
    switch (key) {
      case 'x': {
        const item = items[selectedIndex];
        if (item === undefined || !pendingView) return false;
        toggle(item.id, !checked.has(item.id));
        return true;
      }
      case 'j':
        select(selectedIndex < 0 ? 0 : Math.min(items.length - 1, selectedIndex + 1));
        return true;
      case 'k':
        select(selectedIndex < 0 ? 0 : Math.max(0, selectedIndex - 1));
        return true;
      case 'o':
      case 'Enter': {
        // A focused link or button already acts on Enter.
        const target = event.target;
        if (key === 'Enter' && target instanceof HTMLElement && target.closest('a, button'))
          return false;
        const item = items[selectedIndex];
        if (item === undefined) return false;
        navigate('queue', item.id);
        return true;
      }
      default:
        return false;
    }
  });

  return (
    <Page title="Review queue" actions={<KeyboardHelp shortcuts={QUEUE_SHORTCUTS} />}>
      <QueueFilters
        view={view}
        searchField={search}
        queueJurisdictions={loaded?.jurisdictions ?? null}
        onFilter={setFilter}
        onOrder={(order) => update({ ...view, order })}
      />
      <div class="queue-bar">
        <p class="queue-count">
          {loaded === null ? (
            ' '
          ) : (
            <>
              <strong class="queue-total">
                {loaded.totalCount} {STATUS_WORDS[status].toLowerCase()}
              </strong>
              {loaded.search !== undefined && (
                <span class="queue-search-applied"> matching “{loaded.search}”</span>
              )}
              <span class="muted">
                {' '}
                · {plural(items.length, 'item')} shown
                {loaded.hasNextPage ? ', more to load' : ''}
              </span>
            </>
          )}
        </p>
        <div class="live-region" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </div>
      {pendingView && (checked.size > 0 || bulkOutcome !== null) && (
        <BulkBar
          count={shownChecked.length}
          busy={bulkState.fetching}
          outcome={bulkOutcome}
          onDecide={(decision, reasonCode) => void bulkDecide(decision, reasonCode)}
          onClear={() => {
            setChecked(new Set());
            setBulkOutcome(null);
          }}
        />
      )}
      {error !== null && <ErrorNotice error={error} title="The queue could not be loaded." />}
      {loaded === null && error === null && <Loading what="Loading the queue" />}
      {loaded !== null && items.length === 0 && (
        <p class="card empty-queue">
          {pendingView
            ? 'Nothing is waiting for review with these filters.'
            : `No ${STATUS_WORDS[status].toLowerCase()} items with these filters.`}
        </p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="responsive queue-table">
            <caption class="visually-hidden">{STATUS_WORDS[status]} review items</caption>
            <thead>
              <tr>
                {pendingView && (
                  <th scope="col" class="select-col">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      checked={items.length > 0 && items.every((item) => checked.has(item.id))}
                      onChange={(e) =>
                        setChecked(
                          e.currentTarget.checked
                            ? new Set(items.map((item) => item.id))
                            : new Set(),
                        )
                      }
                    />
                  </th>
                )}
                <th scope="col">Kind</th>
                <th scope="col">Content</th>
                <th scope="col">Reasons</th>
                <th scope="col">Board</th>
                <th scope="col">Priority</th>
                <th scope="col">{pendingView ? 'Age' : 'Entered'}</th>
                <th scope="col">{pendingView ? 'Claim' : 'Decision'}</th>
              </tr>
            </thead>
            <tbody ref={table}>
              {items.map((item) => (
                <QueueRow
                  key={item.id}
                  item={item}
                  selected={item.id === selectedId}
                  fresh={fresh.has(item.id)}
                  onFocus={() => setSelectedId(item.id)}
                  checked={pendingView ? checked.has(item.id) : null}
                  onCheck={(on) => toggle(item.id, on)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaded?.hasNextPage === true && (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </Page>
  );
}

/** What a row is called (in the table and in bulk failures). */
const rowTitle = (item: QueueItem): string =>
  excerpt(
    item.content.__typename === 'Thread'
      ? item.content.title || '(no title)'
      : `Comment on “${item.content.thread.title}”`,
    80,
  );

function QueueRow({
  item,
  selected,
  fresh,
  onFocus,
  checked,
  onCheck,
}: {
  item: QueueItem;
  selected: boolean;
  fresh: boolean;
  onFocus: () => void;
  /** Null when rows cannot be ticked (decided items). */
  checked: boolean | null;
  onCheck: (on: boolean) => void;
}) {
  const content = item.content;
  const board = boardOf(content);
  const title = rowTitle(item);
  const otherClaim = claimedByOther(item);
  return (
    <tr
      data-id={item.id}
      class={
        [selected ? 'selected' : '', fresh ? 'fresh' : '', checked === true ? 'checked' : '']
          .join(' ')
          .trim() || undefined
      }
      aria-current={selected ? 'true' : undefined}
    >
      {checked !== null && (
        <td data-label="Select" class="select-col">
          <input
            type="checkbox"
            aria-label={`Select “${title}”`}
            checked={checked}
            onChange={(e) => onCheck(e.currentTarget.checked)}
          />
        </td>
      )}
      <td data-label="Kind">
        <span class={`badge kind-${item.kind.toLowerCase()}`}>{kindLabel(item.kind)}</span>
        {fresh && <span class="badge badge-new">New</span>}
      </td>
      <td data-label="Content" class="queue-content">
        <a href={href('queue', item.id)} onFocus={onFocus}>
          {title}
        </a>
        {content.body !== '' && <span class="excerpt">{excerpt(content.body, 120)}</span>}
        <span class="muted small">{contentStatusWords(content.status)}</span>
      </td>
      <td data-label="Reasons">
        <ul class="reason-list">
          {item.reasons.map((reason, index) => (
            <li key={index}>{excerpt(reasonWords(reason), 90)}</li>
          ))}
        </ul>
      </td>
      <td data-label="Board">
        {board.name}
        <span class="muted small">
          {item.jurisdiction} · {item.boardKind === 'COMPANY' ? 'company' : 'public'}
        </span>
      </td>
      <td data-label="Priority" class="num">
        {item.priority.toFixed(1)}
      </td>
      <td data-label={item.status === 'PENDING' ? 'Age' : 'Entered'}>
        <time
          dateTime={item.enteredQueueAt}
          title={`In the queue since ${new Date(item.enteredQueueAt).toLocaleString()}`}
        >
          {age(item.enteredQueueAt)}
        </time>
      </td>
      {item.status === 'PENDING' ? (
        <td data-label="Claim">
          {item.claimedByViewer ? (
            <span class="claim claim-mine">You, until {timeOf(item.claimExpiresAt ?? '')}</span>
          ) : otherClaim ? (
            <span class="claim claim-other">
              Claimed by {item.claimedByHandle ?? 'another moderator'} until{' '}
              {timeOf(item.claimExpiresAt ?? '')}
            </span>
          ) : (
            <span class="muted">Unclaimed</span>
          )}
        </td>
      ) : (
        <td data-label="Decision" class="decided">
          {decidedWords(item)}
        </td>
      )}
    </tr>
  );
}

function QueueFilters({
  view,
  searchField,
  queueJurisdictions,
  onFilter,
  onOrder,
}: {
  view: QueueView;
  searchField: preact.RefObject<HTMLInputElement | null>;
  /** The jurisdictions of the queue's items (null until loaded). */
  queueJurisdictions: string[] | null;
  onFilter: (patch: Partial<QueueFilter>) => void;
  onOrder: (order: QueueView['order']) => void;
}) {
  const [options] = useQuery<FilterOptionsData>({ query: FILTER_OPTIONS });
  const companies = options.data?.companies ?? [];
  const names = new Map((options.data?.jurisdictions ?? []).map((j) => [j.code, j.name]));
  const { filter } = view;
  // Only the jurisdictions the queue has items in (and the one chosen), not every country.
  const jurisdictions = [
    ...new Set([
      ...(queueJurisdictions ?? []),
      ...(filter.jurisdiction === undefined ? [] : [filter.jurisdiction]),
    ]),
  ].sort();
  const any = Object.keys(filter).length > 0;
  const value = (v: string) => (v === '' ? undefined : v);
  const [text, setText] = useState(filter.search ?? '');
  // The search applies once typing pauses, not at every key.
  useEffect(() => {
    if ((filter.search ?? '') === text.trim()) return;
    const timer = setTimeout(() => onFilter({ search: value(text.trim()) }), 300);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => {
    if (filter.search === undefined) setText('');
  }, [filter.search]);
  return (
    <form
      class="filters queue-filters"
      aria-label="Queue filters"
      onSubmit={(e) => {
        e.preventDefault();
        onFilter({ search: value(text.trim()) });
      }}
    >
      <label class="queue-search">
        Search
        <input
          ref={searchField}
          type="search"
          name="search"
          maxLength={100}
          placeholder="Words in the post or its reasons"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <label>
        Status
        <select
          name="status"
          value={filter.status ?? 'PENDING'}
          onChange={(e) =>
            onFilter({
              status:
                e.currentTarget.value === 'PENDING'
                  ? undefined
                  : (e.currentTarget.value as ReviewStatus),
            })
          }
        >
          {REVIEW_STATUSES.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select
          name="kind"
          value={filter.kind ?? ''}
          onChange={(e) => onFilter({ kind: value(e.currentTarget.value) as QueueFilter['kind'] })}
        >
          <option value="">All kinds</option>
          {REVIEW_KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Company
        <select
          name="company"
          value={filter.companyId ?? ''}
          onChange={(e) => onFilter({ companyId: value(e.currentTarget.value) })}
        >
          <option value="">All companies</option>
          {companies.map((company) => (
            <option key={company.id} value={company.id}>
              {company.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Jurisdiction
        <select
          name="jurisdiction"
          value={filter.jurisdiction ?? ''}
          onChange={(e) => onFilter({ jurisdiction: value(e.currentTarget.value) })}
        >
          <option value="">All jurisdictions</option>
          {jurisdictions.map((code) => (
            <option key={code} value={code}>
              {names.has(code) ? `${names.get(code)} (${code})` : code}
            </option>
          ))}
        </select>
      </label>
      <label>
        Board
        <select
          name="boardKind"
          value={filter.boardKind ?? ''}
          onChange={(e) =>
            onFilter({ boardKind: value(e.currentTarget.value) as QueueFilter['boardKind'] })
          }
        >
          <option value="">All boards</option>
          <option value="PUBLIC">Public boards</option>
          <option value="COMPANY">Company boards</option>
        </select>
      </label>
      <label>
        Order
        <select
          name="order"
          value={view.order}
          onChange={(e) => onOrder(e.currentTarget.value === 'OLDEST' ? 'OLDEST' : 'PRIORITY')}
        >
          <option value="PRIORITY">Priority</option>
          <option value="OLDEST">Oldest first</option>
        </select>
      </label>
      {any && (
        <div class="filters-clear">
          <button
            type="button"
            onClick={() =>
              onFilter({
                status: undefined,
                kind: undefined,
                companyId: undefined,
                jurisdiction: undefined,
                boardKind: undefined,
                search: undefined,
              })
            }
          >
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}
