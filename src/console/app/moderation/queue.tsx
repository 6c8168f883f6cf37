import type { CombinedError, OperationResult } from '@urql/core';
import { useClient, useQuery, useSubscription } from '@urql/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { Loading, Page } from '../page';
import { href, navigate } from '../router';
import {
  age,
  boardOf,
  claimedByOther,
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
  timeOf,
} from './api';
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
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

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
      if (page === undefined) return { items, endCursor: after, hasNextPage: false };
      items.push(...page.edges.map((edge) => edge.node));
      after = page.pageInfo.endCursor ?? after;
      if (!page.pageInfo.hasNextPage || items.length >= count)
        return { items, endCursor: after, hasNextPage: page.pageInfo.hasNextPage };
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
    };
    applied.current = next;
    setLoaded(next);
  }

  // A new filter or order starts again from the first page.
  useEffect(() => {
    applied.current = null;
    setLoaded(null);
    setFresh(new Set());
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

  function select(index: number) {
    const item = items[index];
    if (item === undefined) return;
    setSelectedId(item.id);
    table.current
      ?.querySelector<HTMLAnchorElement>(`tr[data-id="${CSS.escape(item.id)}"] a`)
      ?.focus();
  }

  useShortcuts((key, event) => {
    if (items.length === 0) return false;
    switch (key) {
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
    <Page title="Review queue">
      <QueueFilters
        view={view}
        onFilter={setFilter}
        onOrder={(order) => update({ ...view, order })}
      />
      <div class="queue-bar">
        <p class="muted queue-count">
          {loaded === null
            ? ' '
            : `${plural(items.length, 'item')} shown${loaded.hasNextPage ? ', more to load' : ''}`}
        </p>
        <div class="live-region" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </div>
      <p class="shortcut-legend muted">
        Keys: <kbd>j</kbd> next row, <kbd>k</kbd> previous row, <kbd>Enter</kbd> or <kbd>o</kbd>{' '}
        open the selected item.
      </p>
      {error !== null && <ErrorNotice error={error} title="The queue could not be loaded." />}
      {loaded === null && error === null && <Loading what="Loading the queue" />}
      {loaded !== null && items.length === 0 && (
        <p class="card empty-queue">Nothing is waiting for review with these filters.</p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="responsive queue-table">
            <caption class="visually-hidden">Pending review items</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Content</th>
                <th scope="col">Reasons</th>
                <th scope="col">Board</th>
                <th scope="col">Priority</th>
                <th scope="col">Age</th>
                <th scope="col">Claim</th>
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

function QueueRow({
  item,
  selected,
  fresh,
  onFocus,
}: {
  item: QueueItem;
  selected: boolean;
  fresh: boolean;
  onFocus: () => void;
}) {
  const content = item.content;
  const board = boardOf(content);
  const title =
    content.__typename === 'Thread' ? content.title : `Comment on “${content.thread.title}”`;
  const otherClaim = claimedByOther(item);
  return (
    <tr
      data-id={item.id}
      class={[selected ? 'selected' : '', fresh ? 'fresh' : ''].join(' ').trim() || undefined}
      aria-current={selected ? 'true' : undefined}
    >
      <td data-label="Kind">
        <span class={`badge kind-${item.kind.toLowerCase()}`}>{kindLabel(item.kind)}</span>
        {fresh && <span class="badge badge-new">New</span>}
      </td>
      <td data-label="Content" class="queue-content">
        <a href={href('queue', item.id)} onFocus={onFocus}>
          {excerpt(title, 80)}
        </a>
        {content.body !== '' && <span class="excerpt">{excerpt(content.body, 120)}</span>}
        <span class="muted small">{content.status.toLowerCase()}</span>
      </td>
      <td data-label="Reasons">
        <ul class="reason-list">
          {item.reasons.map((reason, index) => (
            <li key={index}>{excerpt(reason.summary, 90)}</li>
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
      <td data-label="Age">
        <time dateTime={item.createdAt} title={new Date(item.createdAt).toLocaleString()}>
          {age(item.createdAt)}
        </time>
      </td>
      <td data-label="Claim">
        {item.claimedByViewer ? (
          <span class="claim claim-mine">You, until {timeOf(item.claimExpiresAt ?? '')}</span>
        ) : otherClaim ? (
          <span class="claim claim-other">
            Another moderator, until {timeOf(item.claimExpiresAt ?? '')}
          </span>
        ) : (
          <span class="muted">Unclaimed</span>
        )}
      </td>
    </tr>
  );
}

function QueueFilters({
  view,
  onFilter,
  onOrder,
}: {
  view: QueueView;
  onFilter: (patch: Partial<QueueFilter>) => void;
  onOrder: (order: QueueView['order']) => void;
}) {
  const [options] = useQuery<FilterOptionsData>({ query: FILTER_OPTIONS });
  const companies = options.data?.companies ?? [];
  const jurisdictions = options.data?.jurisdictions ?? [];
  const { filter } = view;
  const any = Object.keys(filter).length > 0;
  const value = (v: string) => (v === '' ? undefined : v);
  return (
    <form
      class="filters queue-filters"
      aria-label="Queue filters"
      onSubmit={(e) => e.preventDefault()}
    >
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
          {jurisdictions.map((jurisdiction) => (
            <option key={jurisdiction.code} value={jurisdiction.code}>
              {jurisdiction.code} — {jurisdiction.name}
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
                kind: undefined,
                companyId: undefined,
                jurisdiction: undefined,
                boardKind: undefined,
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
