/**
 * The mixed workload of the load and soak benchmark (bench/load.bench.ts) and of its short
 * form in the test suite (test/e2e/performance/load-smoke.e2e-spec.ts): members reading feeds
 * and threads (80 %), commenting and voting (15 %) and starting threads (5 %), sent open-loop
 * at a fixed rate so that a slow server cannot slow the load down (latency is measured from
 * when each request was due, not from when it could be sent).
 */
import type { Answer, GraphqlClient } from './bench-http';
import { mulberry32 } from './prng';

/** A member with a session and a client that sends their token. */
export interface LoadMember {
  client: GraphqlClient;
}

/** What the workload reads and writes: one public board and its threads. */
export interface LoadWorld {
  boardSlug: string;
  boardId: string;
  threadIds: string[];
  members: LoadMember[];
  /** Who wrote each thread (nobody votes on their own post). */
  authors: Map<string, LoadMember>;
}

const FEED = `query Feed($slug: String!) {
  board(slug: $slug) {
    threads(first: 20) {
      edges { node { id title score commentCount createdAt viewerVote author { handle employerLabel isViewer } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const THREAD = `query Thread($id: ID!) {
  thread(id: $id) {
    id title body score viewerVote commentCount
    author { handle employerLabel isOriginalPoster isViewer }
    comments(first: 20) { edges { node { id body score author { handle isOriginalPoster } } } }
  }
}`;
const COMMENT =
  'mutation Comment($t: ID!, $b: String!) { createComment(input: { threadId: $t, body: $b }) { comment { id } } }';
const VOTE = 'mutation Vote($c: ID!, $v: Int!) { vote(contentId: $c, value: $v) }';
const CREATE_THREAD =
  'mutation Post($b: ID!, $t: String!, $body: String!) { createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id } } }';

export type RequestKind = 'feed' | 'thread' | 'comment' | 'vote' | 'post';

/** The mix: cumulative shares of each kind of request. */
const MIX: Array<[RequestKind, number]> = [
  ['feed', 0.4],
  ['thread', 0.8],
  ['comment', 0.9],
  ['vote', 0.95],
  ['post', 1],
];

/** Creates the board's first threads (with a few comments each) as the world's members. */
export async function seedThreads(world: LoadWorld, threads: number): Promise<void> {
  for (let i = 0; i < threads; i++) {
    const member = world.members[i % world.members.length];
    const data = await member.client.data<{ createThread: { thread: { id: string } } }>(
      CREATE_THREAD,
      { b: world.boardId, t: `Seed thread ${i}`, body: `What do you think about topic ${i}?` },
    );
    world.threadIds.push(data.createThread.thread.id);
    world.authors.set(data.createThread.thread.id, member);
    for (let c = 0; c < 3; c++) {
      await world.members[(i + c + 1) % world.members.length].client.data(COMMENT, {
        t: data.createThread.thread.id,
        b: `Seed comment ${c} on ${i}`,
      });
    }
  }
}

/**
 * Opens `connections` keep-alive connections, spread over the members' clients, by sending
 * that many trivial requests at once, so that an open loop that follows reuses connections as
 * clients behind a proxy or a browser do, instead of opening hundreds of new ones in its first
 * second: those wait in the kernel's accept queue while the server is busy, which no answer
 * of the server's (503s included) can shorten (docs/performance.md, "Past capacity").
 */
export async function warmConnections(world: LoadWorld, connections: number): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, (_, i) =>
      world.members[i % world.members.length].client.post('{ serverInfo { version } }'),
    ),
  );
}

/** A request generator over the world, deterministic for a seed. */
export function workload(
  world: LoadWorld,
  seed = 42,
  /** Given: every request is of this kind (to measure one kind's cost), not the mix. */
  only?: RequestKind,
): () => { kind: RequestKind; send: () => Promise<Answer> } {
  const random = mulberry32(seed);
  let n = 0;
  return () => {
    n += 1;
    const member = world.members[Math.floor(random() * world.members.length)];
    // Recent threads are read more: a skewed pick over the newest 200.
    const recent = world.threadIds.slice(-200);
    const thread = recent[Math.floor(recent.length * (1 - Math.sqrt(random())))];
    const roll = random();
    const kind = only ?? (MIX.find(([, upTo]) => roll < upTo) ?? MIX[0])[0];
    switch (kind) {
      case 'feed':
        return { kind, send: () => member.client.post(FEED, { slug: world.boardSlug }) };
      case 'thread':
        return { kind, send: () => member.client.post(THREAD, { id: thread }) };
      case 'comment':
        return {
          kind,
          send: () =>
            member.client.post(COMMENT, {
              t: thread,
              b: `Load comment ${n}: agreed, with reservations.`,
            }),
        };
      case 'vote': {
        // Another member when the pick wrote the thread.
        const voter =
          world.authors.get(thread) === member
            ? world.members[(world.members.indexOf(member) + 1) % world.members.length]
            : member;
        return {
          kind,
          send: () => voter.client.post(VOTE, { c: thread, v: random() < 0.8 ? 1 : -1 }),
        };
      }
      case 'post':
        return {
          kind,
          send: async () => {
            const answer = await member.client.post(CREATE_THREAD, {
              b: world.boardId,
              t: `Load thread ${n}`,
              body: `A new question, number ${n}, about pay bands and remote work.`,
            });
            const id = /"id":"([0-9a-f-]{36})"/.exec(answer.text)?.[1];
            if (id !== undefined) {
              world.threadIds.push(id);
              world.authors.set(id, member);
            }
            return answer;
          },
        };
    }
  };
}

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: number;
  /** Requests still unanswered when the cap on requests in flight was hit (not sent). */
  dropped: number;
  /** Milliseconds from when each request was due to its answer, sorted (503 OVERLOADED apart). */
  latencies: number[];
  /** Answers 503 OVERLOADED: the server shed the request (not counted as errors). */
  shed: number;
  /** Milliseconds from when each shed request was due to its 503, sorted. */
  shedLatencies: number[];
  byKind: Record<RequestKind, number>;
  /** Milliseconds from due to answer of the requests served, per kind (unsorted). */
  latenciesByKind: Record<RequestKind, number[]>;
  firstError: string | null;
}

/**
 * Sends `next()` requests at `rate` per second for `seconds`, without waiting for answers
 * (at most `maxInFlight` at once; beyond that a request is counted as dropped). An answer is
 * ok when its status is 200 and it has no `errors`; a 503 OVERLOADED counts as shed.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  next: () => { kind: RequestKind; send: () => Promise<Answer> },
  maxInFlight = 512,
): Promise<OpenLoopResult> {
  const result: OpenLoopResult = {
    rate,
    seconds,
    sent: 0,
    ok: 0,
    errors: 0,
    dropped: 0,
    latencies: [],
    shed: 0,
    shedLatencies: [],
    byKind: { feed: 0, thread: 0, comment: 0, vote: 0, post: 0 },
    latenciesByKind: { feed: [], thread: [], comment: [], vote: [], post: [] },
    firstError: null,
  };
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= maxInFlight) {
      result.dropped += 1;
      continue;
    }
    const { kind, send } = next();
    result.sent += 1;
    result.byKind[kind] += 1;
    const request = send()
      .then((answer) => {
        if (answer.status === 503 && answer.text.includes('"OVERLOADED"')) {
          result.shed += 1;
          result.shedLatencies.push(performance.now() - due);
          return;
        }
        result.latencies.push(performance.now() - due);
        result.latenciesByKind[kind].push(performance.now() - due);
        if (answer.status === 200 && !answer.text.includes('"errors"')) result.ok += 1;
        else {
          result.errors += 1;
          result.firstError ??= `${kind}: ${answer.status} ${answer.text.slice(0, 300)}`;
        }
      })
      .catch((error: unknown) => {
        result.errors += 1;
        result.firstError ??= `${kind}: ${String(error)}`;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  result.latencies.sort((a, b) => a - b);
  result.shedLatencies.sort((a, b) => a - b);
  return result;
}
