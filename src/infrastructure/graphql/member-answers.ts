import { randomBytes } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  BREAK,
  type DocumentNode,
  type GraphQLSchema,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { type Principal, requestCopyOf } from '../auth/principal';
import { Role } from '../auth/role';
import { AppConfig } from '../config/app-config';
import type { Touched } from '../database/transaction-runner';
import { ContentWrites } from '../events/content-writes';
import { MetricsService } from '../metrics/metrics.service';
import { ThrottlerCounterStorage } from '../rate-limit/throttler-counter-storage';
import type { FrontStep } from '../http/front-door';
import {
  type Asked,
  answerKey,
  cachedAnswer,
  cachedAnswerOverBudget,
  keepSentBytes,
  type KeptAnswer,
  type KeptFor,
  keptAnswers,
  overBudgetAnswer,
  plainBody,
  sendKeptAnswer,
  type SentAnswer,
} from './cached-answers';

/**
 * The fields a shared member answer may hold, as `Type.field` (`__typename` anywhere too).
 * Each one's value is the same for every member of the same scope (jurisdictions and current
 * employers, MemberJudge.scopeOf) reading within MEMBER_CACHE_MS, except `Thread.viewerVote`,
 * `Comment.viewerVote` and `Author.isViewer`, whose resolvers record where their values sit in
 * the answer and how to read a reader's own (fillsPerViewer), or else the check that proves a
 * reader's own values are the ones the answer holds (dependsOnViewer). A field that is not
 * listed — `notices`, `viewerFollows`, `viewerBookmarked`, `poll`, `Comment.thread`,
 * `Board.company`, anything staff see — makes the whole operation computed for its reader, as
 * before. A field added here must either not depend on the viewer beyond the scope, or record
 * its check; a field that reads posts must record what it reads from (readsFrom), or its
 * answers are dropped at every content write.
 */
const SHARED_FIELDS: ReadonlySet<string> = new Set([
  'Query.board',
  'Query.home',
  'Board.id',
  'Board.slug',
  'Board.name',
  'Board.kind',
  'Board.jurisdiction',
  'Board.threads',
  'ThreadConnection.edges',
  'ThreadConnection.pageInfo',
  'ThreadEdge.cursor',
  'ThreadEdge.node',
  'PageInfo.endCursor',
  'PageInfo.hasNextPage',
  'PageInfo.hasPreviousPage',
  'PageInfo.startCursor',
  'Thread.id',
  'Thread.title',
  'Thread.body',
  'Thread.score',
  'Thread.commentCount',
  'Thread.createdAt',
  'Thread.editedAt',
  'Thread.status',
  'Thread.author',
  'Thread.board',
  'Thread.viewerVote',
  'Query.thread',
  'Thread.comments',
  'CommentConnection.edges',
  'CommentConnection.pageInfo',
  'CommentEdge.cursor',
  'CommentEdge.node',
  'Comment.id',
  'Comment.parentId',
  'Comment.body',
  'Comment.author',
  'Comment.status',
  'Comment.score',
  'Comment.createdAt',
  'Comment.editedAt',
  'Comment.viewerVote',
  'Author.handle',
  'Author.employerLabel',
  'Author.isOriginalPoster',
  'Author.isViewer',
]);

/**
 * What a shared answer needs of its reader to be exactly the answer computed for them: that
 * they voted on none of its threads, wrote none of them, have no withheld thread of their own
 * in its stretch of the feed. Recorded while the answer is computed, run for each reader.
 */
export type ViewerCheck = (viewer: Principal) => boolean | Promise<boolean>;

/** A place in an answer's `data`: the response keys (aliases as asked) and list indices leading to a value. */
export type AnswerPath = readonly (string | number)[];

/**
 * A per-viewer field of a shared answer, filled in for each reader: a kept answer holds the
 * value of a reader who has none (`neutral`) at each of its places, and a reader who has some
 * (they voted on one of the page's threads, wrote one) is given the answer with their own
 * values put in those places, never kept.
 */
export interface ViewerFill {
  /** Per item (a page's thread), every place the operation asks for the field at. */
  readonly places: readonly (readonly AnswerPath[])[];
  /** The value of a reader who has none: 0 for `viewerVote`, false for `isViewer`. */
  readonly neutral: unknown;
  /** The reader's own values, one per item. */
  valuesFor(viewer: Principal): readonly unknown[] | Promise<readonly unknown[]>;
}

/** A value of a reader's own in a kept answer: its place, the reader's value, and the neutral one kept there. */
type OwnValue = readonly [place: AnswerPath, value: unknown, neutral: unknown];

/** How members are told apart, from the composition root (app.setup.ts). */
export interface MemberJudge {
  /** The principal of an `Authorization` header; null when it names no live session. */
  principalOf(header: string): Promise<Principal | null>;
  /**
   * Everything besides the recorded checks that a member's answer to a shared operation
   * depends on: the jurisdictions that judge them and the employers whose boards they read.
   */
  scopeOf(req: Request, principal: Principal): Promise<string>;
}

/**
 * What an answer's content is read from, recorded by the resolver that reads it so that the
 * writes touching it (TransactionRunner's Touched) drop it: which threads a board's feed holds
 * and in what order (newest first, which only a thread added or removed changes; or by score
 * or rank, which votes change too), a thread's values as a feed shows them, a thread's page,
 * or which threads every board's feeds hold (`home`).
 */
export type ReadFrom =
  | { readonly board: string; readonly newestFirst: boolean }
  | { readonly thread: string }
  | { readonly page: string }
  | 'every board';

/**
 * The tag of an answer that recorded nothing it reads from: dropped at every write that
 * touches anything shown (its content may come from anywhere).
 */
const ANY = 'any';
/** The tag of an answer that reads every board's feed: dropped at every write touching a board. */
const EVERY_BOARD = 'boards';

function tagOf(from: ReadFrom): string {
  if (from === 'every board') return EVERY_BOARD;
  if ('board' in from) return `${from.newestFirst ? 'n' : 'b'}:${from.board}`;
  return 'page' in from ? `p:${from.page}` : `t:${from.thread}`;
}

/** The tags a write that touched `touched` drops (besides ANY). */
function tagsTouched(touched: Touched): string[] {
  const { boards = [], ranks = [], threads = [], pages = [] } = touched;
  const tags = [
    // A thread added: every order of the board's feeds; a score or rank: all but newest first.
    ...boards.flatMap((id) => [`n:${id}`, `b:${id}`]),
    ...ranks.map((id) => `b:${id}`),
    // A thread's values show in feeds and on its page; a comment's score on its page alone.
    ...threads.flatMap((id) => [`t:${id}`, `p:${id}`]),
    ...pages.map((id) => `p:${id}`),
  ];
  if (boards.length > 0 || ranks.length > 0) tags.push(EVERY_BOARD);
  return tags;
}

/** Writes remembered for answers being computed across them (a computation takes milliseconds). */
const RECENT_WRITES = 1_024;

interface Entry extends KeptAnswer {
  readonly checks: readonly ViewerCheck[];
  readonly fills: readonly ViewerFill[];
  /** What it reads from (tags; [ANY] when nothing was recorded): the writes that drop it. */
  readonly tags: readonly string[];
  /** Its bytes as sent cut at its fills' places, once a reader with values of their own needs them at the front door. */
  cut?: Cut | null;
}

/** A kept answer's text cut at the places of its per-viewer values: a reader's own is written from it. */
interface Cut {
  /** The text around the places, one more piece than there are places. */
  readonly pieces: readonly string[];
  /** Which place each gap between two pieces is (an index into `neutral`). */
  readonly gaps: readonly number[];
  /** Each place's index, by `JSON.stringify(place)`. */
  readonly places: ReadonlyMap<string, number>;
  /** Each place's neutral value, as JSON. */
  readonly neutral: readonly string[];
}

/** What the resolvers record while a member's answer is computed to be shared. */
interface Recorded {
  readonly checks: ViewerCheck[];
  readonly fills: ViewerFill[];
  /** Tags of what it reads from (tagOf). */
  readonly reads: Set<string>;
}

type MemberRequest = Request & { principal?: Principal };

/** A member's answer being computed, to be kept without their own values (see willSendResponse). */
interface Computing extends Recorded {
  readonly key: string;
  /** The count of writes when it started: a write since that touches what it read keeps it from being kept. */
  readonly since: number;
  readonly principal: Principal;
}

/**
 * Members' reads of the feeds (`board { threads }`, `home`) and of a thread's page
 * (`thread { comments }`), answered once per scope and
 * reused for MEMBER_CACHE_MS (default 1,000 ms; 0 turns it off): a busy feed's first page is
 * read by most members of a jurisdiction, and computing it again costs about twice what the
 * rest of a member's request does (docs/performance.md, issue 25).
 *
 * - Only queries whose every field is in SHARED_FIELDS, asked by a member with no role but
 *   MEMBER (staff get their answers computed), are looked up.
 * - Keyed by the query text, operation name, variables, `Accept` and the member's scope
 *   (MemberJudge.scopeOf: jurisdictions and current employers).
 * - An answer is kept only if the member it was computed for passes its recorded checks (none
 *   of their withheld threads in it), and it is kept neutral: where it holds a value of theirs
 *   (their vote on one of its threads, `isViewer` on a thread they wrote), the value of a
 *   member who has none is kept instead. Every member of the scope who passes the checks is
 *   given it with their own values filled in (one read of their votes on the page, their
 *   token per thread or comment); a reader who fails a check gets their answer computed. So a
 *   cached answer is byte for byte what the reader would have been given, no older than
 *   MEMBER_CACHE_MS.
 * - Dropped at the content writes that touch what it was read from (readsFrom: a board's feed,
 *   a thread's page, every board's feed for `home`), as the writes declare it
 *   (TransactionRunner's Touched: a new thread or comment, a vote); at every other content
 *   write, and at every announcement of another instance's, all are dropped. An answer
 *   computed across a write that touches what it read is not kept.
 * - A cached answer costs the reader's address the same budget as a computed one.
 * - Two ways in, as the visitor cache's: Apollo's plugin (plugin()) computes, keeps and answers
 *   from it; the front door (fastPath()) answers a member's plain POST of a query text already
 *   found shareable with the bytes Apollo sent the first time, before Express, Nest and Apollo.
 *
 * Where a per-viewer field sits in an answer depends on aliases and fragments: its resolver
 * records its places from the operation as asked (ViewerFill). When they cannot be known (a
 * `@skip` or `@include` on the way), it records a check instead, and only readers holding no
 * value of their own are given the kept answer.
 */
@Injectable()
export class MemberAnswers {
  private readonly entries: LRUCache<string, Entry> | null;
  /** Bumped when every kept answer is dropped: bytes sent across it are not kept (keepSentBytes). */
  private generation = 0;
  /** Writes seen (those touching anything shown), and the last RECENT_WRITES with their tags (null: anything). */
  private writes = 0;
  private readonly recentWrites: Array<readonly [count: number, tags: readonly string[] | null]> =
    [];
  /** The keys of the kept answers, by tag. */
  private readonly keysByTag = new Map<string, Set<string>>();
  private judge: MemberJudge | null = null;
  /** What is recorded for the answer being computed, by the principal object of its request (a copy of its own). */
  private readonly computing = new WeakMap<Principal, Recorded>();
  /** Requests whose answer Apollo's plugin has kept, with its key: the front door keeps the bytes sent. */
  private readonly kept = new WeakMap<Request, KeptFor<Entry>>();
  /** Requests the front door found a kept answer for that is not theirs: computed, not checked again. */
  private readonly notTheirs = new WeakSet<Request>();
  /** Requests the front door worked out the key of (a miss, or not theirs): not worked out again. */
  private readonly doorKeys = new WeakMap<Request, string>();
  /** Requests the front door charged and found over budget: Apollo answers the refusal, uncharged. */
  private readonly refused = new WeakSet<Request>();
  /** Query texts found shareable: the front door looks up only these (it parses nothing). */
  private readonly shareableQueries = new LRUCache<string, true>({ max: 1_000 });
  /** Per parsed operation (Apollo keeps one DocumentNode per query text): shareable or not. */
  private readonly shareable = new WeakMap<DocumentNode, boolean>();

  constructor(
    private readonly config: AppConfig,
    private readonly limits: ThrottlerCounterStorage,
    writes: ContentWrites,
    private readonly metrics: MetricsService,
  ) {
    this.entries = keptAnswers<Entry>(
      config.MEMBER_CACHE_MS,
      writes,
      (touched) => this.written(touched),
      (entry, key) => this.untag(entry, key),
    );
  }

  /** Set once by the composition root: nothing is cached before. */
  judgeMembersBy(judge: MemberJudge): void {
    this.judge = judge;
  }

  /** Drops every kept answer (also done at every content write that declares nothing). */
  clear(): void {
    this.generation++;
    this.remember(null);
    this.entries?.clear();
    this.keysByTag.clear();
  }

  /**
   * A content write: drops the kept answers that read from what it touched, and those that
   * recorded nothing; all of them when it declared nothing (null).
   */
  private written(touched: Touched | null): void {
    if (touched === null) {
      this.clear();
      return;
    }
    const tags = tagsTouched(touched);
    if (tags.length === 0) return;
    this.remember(tags);
    const entries = this.entries!;
    for (const tag of [ANY, ...tags]) {
      const keys = this.keysByTag.get(tag);
      if (keys !== undefined) for (const key of [...keys]) entries.delete(key);
    }
  }

  private remember(tags: readonly string[] | null): void {
    this.recentWrites.push([++this.writes, tags]);
    if (this.recentWrites.length > RECENT_WRITES) this.recentWrites.shift();
  }

  /** Whether a write since the `since`-th touched something of `tags` (or anything, or is forgotten). */
  private writtenSince(since: number, tags: readonly string[]): boolean {
    if (since === this.writes) return false;
    const oldest = this.recentWrites[0];
    if (oldest === undefined || oldest[0] > since + 1) return true;
    const reads = new Set(tags);
    return this.recentWrites.some(
      ([count, written]) =>
        count > since &&
        (written === null || reads.has(ANY) || written.some((tag) => reads.has(tag))),
    );
  }

  private tag(entry: Entry, key: string): void {
    for (const tag of entry.tags) {
      let keys = this.keysByTag.get(tag);
      if (keys === undefined) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  private untag(entry: Entry, key: string): void {
    for (const tag of entry.tags) {
      const keys = this.keysByTag.get(tag);
      if (keys === undefined || !keys.delete(key) || keys.size > 0) continue;
      this.keysByTag.delete(tag);
    }
  }

  /**
   * Called by a resolver that reads content into a member's answer: if the principal's answer
   * is being computed to be shared, the writes that touch `from` drop it. An answer whose
   * resolvers record nothing is dropped at every write.
   */
  readsFrom(principal: Principal | undefined, from: ReadFrom): void {
    if (principal !== undefined) this.computing.get(principal)?.reads.add(tagOf(from));
  }

  /**
   * Called by a resolver whose answer depends on the viewer: if the principal's answer is
   * being computed to be shared, `check` is what a later reader must pass to be given it.
   */
  dependsOnViewer(principal: Principal | undefined, check: ViewerCheck): void {
    if (principal !== undefined) this.computing.get(principal)?.checks.push(check);
  }

  /**
   * Called by a resolver of a per-viewer field: if the principal's answer is being computed to
   * be shared, each later reader is given it with their own values in `fill`'s places.
   */
  fillsPerViewer(principal: Principal | undefined, fill: ViewerFill): void {
    if (principal !== undefined) this.computing.get(principal)?.fills.push(fill);
  }

  /** Whether the resolvers are recording checks for this principal's answer (so a check is worth building). */
  isRecording(principal: Principal | undefined): boolean {
    return principal !== undefined && this.computing.has(principal);
  }

  plugin(): ApolloServerPlugin<{ req: MemberRequest }> {
    const entries = this.entries;
    if (entries === null) return {};
    return {
      requestDidStart: () => {
        let computing: Computing | null = null;
        return Promise.resolve({
          responseForOperation: async ({ contextValue, operation, request, document, schema }) => {
            const { req } = contextValue;
            const judge = this.judge;
            const header = req?.headers.authorization;
            if (
              judge === null ||
              header === undefined ||
              header === '' ||
              operation?.operation !== OperationTypeNode.QUERY ||
              !this.isShareable(schema, document)
            )
              return null;
            this.shareableQueries.set(request.query!, true);
            // Charged and counted at the front door already: only the refusal is left to send.
            if (this.refused.has(req)) return overBudgetAnswer(this.config);
            const principal = await this.memberOf(req, judge, header);
            if (principal === null) return null;
            const key =
              this.doorKeys.get(req) ?? (await this.keyOf(req, request, judge, principal));
            // A store failing here: computed, and answered as the resolvers answer that failure.
            if (key === null) return null;
            const entry = entries.get(key);
            if (entry === undefined) {
              this.metrics.memberCacheLookup(false);
              // A principal object is shared by a session's requests (the sessions' cache): this
              // request gets its own copy, so that the checks its resolvers record are its own.
              const own = requestCopyOf(principal);
              req.principal = own;
              computing = {
                key,
                since: this.writes,
                principal: own,
                checks: [],
                fills: [],
                reads: new Set(),
              };
              this.computing.set(own, computing);
              return null;
            }
            // Not the reader's answer (one of their withheld threads belongs in it): computed.
            const values = this.notTheirs.has(req)
              ? null
              : await ownValues(entry, principal).catch(() => null);
            const body = values === null ? null : withOwnValues(entry.body, values);
            this.metrics.memberCacheLookup(body !== null);
            if (body === null) return null;
            if (await this.overBudget(req)) return overBudgetAnswer(this.config);
            // The neutral answer's bytes, for the front door, if it has none yet (kept at its
            // send, from what is sent with the reader's own values taken out).
            if (entry.http === undefined) this.kept.set(req, keptFor(key, entry, values!));
            return cachedAnswer(body);
          },
          willSendResponse: async ({ response, errors, operationName, contextValue }) => {
            const done = computing;
            computing = null;
            if (done === null) return;
            this.computing.delete(done.principal);
            const body = response.body;
            const tags = done.reads.size === 0 ? [ANY] : [...done.reads];
            if (
              this.writtenSince(done.since, tags) ||
              (errors !== undefined && errors.length > 0) ||
              body.kind !== 'single' ||
              body.singleResult.errors !== undefined
            )
              return;
            // Kept neutral, the answer every reader passing the checks is given with their own
            // values filled in: the member it was computed for must pass the checks too, and
            // their own values (those the answer holds at the fills' places) are replaced by a
            // member's who has none. Failing checks keep nothing.
            const passes = await passesChecks(done, done.principal).catch(() => false);
            const values = passes ? valuesIn(body.singleResult.data, done.fills) : null;
            if (values === null || this.writtenSince(done.since, tags) || entries.has(done.key))
              return;
            const neutral = withOwnValues(body, neutralOf(values));
            if (neutral === null) return;
            const entry: Entry = {
              body: neutral,
              operationName: operationName ?? null,
              checks: done.checks,
              fills: done.fills,
              tags,
            };
            entries.set(done.key, entry);
            this.tag(entry, done.key);
            // The bytes the front door sends: these, with this member's own values taken out.
            this.kept.set(contextValue.req, keptFor(done.key, entry, values));
          },
        });
      },
    };
  }

  /**
   * A step after body parsing, run at the HTTP server's front door (app.setup.ts), as the
   * visitor cache's fastPath: answers a member's plain POST /graphql from a kept answer that is
   * theirs (the same lookup and checks as Apollo's plugin) with the status, headers and bytes
   * it went out with the first time, the same budget charge, metrics and log line, before
   * Express's router, Nest and Apollo run. Anything else goes on, with the member's session
   * resolved (the auth guard finds it); on a miss it keeps the bytes Apollo sends if Apollo's
   * plugin kept the answer.
   */
  fastPath(): FrontStep {
    const entries = this.entries;
    if (entries === null) return (_req, _res, next) => next();
    return (req, res, next) => {
      const judge = this.judge;
      const header = req.headers.authorization;
      const asked = req.method === 'POST' ? plainBody(req) : null;
      if (
        judge === null ||
        header === undefined ||
        header === '' ||
        asked === null ||
        !this.shareableQueries.has(asked.query as string)
      ) {
        next();
        return;
      }
      // A store or Redis failing here is left to the request's own path, which meets the same
      // failure and answers it as it answers any (never a bare 500 from the door).
      this.answerAtDoor(req as MemberRequest, res, judge, header, asked, entries).then(
        (answered) => {
          if (!answered) next();
        },
        () => next(),
      );
    };
  }

  /** A front-door hit: true when the answer was sent. */
  private async answerAtDoor(
    req: MemberRequest,
    res: Response,
    judge: MemberJudge,
    header: string,
    asked: Asked,
    entries: LRUCache<string, Entry>,
  ): Promise<boolean> {
    const started = process.hrtime.bigint();
    const principal = await this.memberOf(req, judge, header);
    if (principal === null) return false;
    const key = await this.keyOf(req, asked, judge, principal);
    if (key === null) return false;
    this.doorKeys.set(req, key);
    const entry = entries.get(key);
    const http = entry?.http;
    if (entry === undefined || http === undefined) {
      keepSentBytes(req, res, key, this.kept, entries, () => this.generation);
      return false;
    }
    // Not theirs (or their values not to be filled in): computed by Apollo, whose plugin counts
    // the miss without checking again.
    const values = await ownValues(entry, principal);
    const own = values === null ? null : ownTextAtDoor(entry, http, values);
    if (own === null) {
      this.notTheirs.add(req);
      return false;
    }
    this.metrics.memberCacheLookup(true);
    if (await this.overBudget(req)) {
      // Apollo answers the refusal exactly as for any request (429, Retry-After, its metrics).
      this.refused.add(req);
      return false;
    }
    sendKeptAnswer(req, res, entry, http, started, this.metrics, own);
    return true;
  }

  /** The key of `asked` for `principal`; null when their scope cannot be read (a store failing). */
  private async keyOf(
    req: MemberRequest,
    asked: Asked,
    judge: MemberJudge,
    principal: Principal,
  ): Promise<string | null> {
    const scope = await judge.scopeOf(req, principal).catch(() => null);
    return scope === null ? null : answerKey(asked, req, scope);
  }

  /**
   * The request's member, as the auth guard would resolve them (the guard then finds the
   * principal set; a header naming no session is left to it to refuse); null for a header
   * naming no session and for staff, whose answers are always computed.
   */
  private async memberOf(
    req: MemberRequest,
    judge: MemberJudge,
    header: string,
  ): Promise<Principal | null> {
    const principal = req.principal ?? (await judge.principalOf(header).catch(() => null));
    if (principal === null) return null;
    req.principal = principal;
    for (const role of principal.roles) if (role !== Role.MEMBER) return null;
    return principal;
  }

  private overBudget(req: Request): Promise<boolean> {
    return cachedAnswerOverBudget(this.limits, this.config, 'member-cache', req);
  }

  private isShareable(schema: GraphQLSchema, document: DocumentNode): boolean {
    let shareable = this.shareable.get(document);
    if (shareable === undefined) {
      shareable = onlySharedFields(schema, document);
      this.shareable.set(document, shareable);
    }
    return shareable;
  }
}

/** Whether every operation of the document is a query and every field it names (fragments included) is in SHARED_FIELDS. */
function onlySharedFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let shared = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation === OperationTypeNode.QUERY) return undefined;
        shared = false;
        return BREAK;
      },
      Field(node) {
        if (node.name.value === '__typename') return undefined;
        const parent = typeInfo.getParentType();
        if (parent != null && SHARED_FIELDS.has(`${parent.name}.${node.name.value}`))
          return undefined;
        shared = false;
        return BREAK;
      },
    }),
  );
  return shared;
}

/**
 * The reader's own values in a kept answer (or one being kept), where they differ from the
 * neutral ones: none for a reader who voted on none of its threads and wrote none; null when
 * the answer is not theirs (a check fails: one of their withheld threads belongs in it).
 */
async function ownValues(
  recorded: Recorded | Entry,
  viewer: Principal,
): Promise<OwnValue[] | null> {
  if (!(await passesChecks(recorded, viewer))) return null;
  const own: OwnValue[] = [];
  // Asked all at once: reads asked together go as one query (a thread's vote and its comments').
  const found = await Promise.all(recorded.fills.map(async (fill) => fill.valuesFor(viewer)));
  recorded.fills.forEach((fill, i) => {
    found[i].forEach((value, item) => {
      if (value === fill.neutral) return;
      for (const place of fill.places[item] ?? []) own.push([place, value, fill.neutral]);
    });
  });
  return own;
}

/** Whether `viewer` passes an answer's recorded checks (none of their withheld posts belongs in it). */
async function passesChecks(recorded: Recorded | Entry, viewer: Principal): Promise<boolean> {
  for (const check of recorded.checks) {
    const held = check(viewer);
    if (!(held instanceof Promise ? await held : held)) return false;
  }
  return true;
}

/**
 * The values an answer computed for its reader holds at the places of `fills`, where they are
 * not the neutral ones: that reader's own values, as ownValues would read them, without
 * reading them again. A place the answer does not hold holds none of theirs (a reader whose
 * value belongs there is not given the answer: withOwnValues).
 */
function valuesIn(data: unknown, fills: readonly ViewerFill[]): OwnValue[] {
  const own: OwnValue[] = [];
  for (const fill of fills)
    for (const item of fill.places)
      for (const place of item) {
        let node: unknown = data;
        for (const key of place) {
          node =
            typeof node === 'object' && node !== null && Object.hasOwn(node, key)
              ? (node as Record<string | number, unknown>)[key]
              : fill.neutral;
        }
        if (node !== fill.neutral) own.push([place, node, fill.neutral]);
      }
  return own;
}

/**
 * A kept answer's body with `values` at their places (copied along their paths; the kept one
 * is shared and never changed); null if a place is not in it (computed instead).
 */
function withOwnValues(
  body: GraphQLResponse['body'],
  values: readonly (readonly [AnswerPath, unknown, ...unknown[]])[],
): GraphQLResponse['body'] | null {
  if (values.length === 0) return body;
  if (body.kind !== 'single') return null;
  const data = withValues(body.singleResult.data, values);
  return data === null ? null : { kind: 'single', singleResult: { ...body.singleResult, data } };
}

/**
 * A kept answer as sent (Apollo's JSON text of its result), with `values` at their places,
 * serialised as Apollo serialises a result; the bytes themselves when there are none; null if
 * a place is not in it.
 */
function withValuesInText(
  text: string,
  values: readonly (readonly [AnswerPath, unknown, ...unknown[]])[],
): string | null {
  if (values.length === 0) return text;
  const result = JSON.parse(text) as { data?: unknown };
  const data = withValues(result.data, values);
  if (data === null) return null;
  return JSON.stringify({ ...result, data }) + (text.endsWith('\n') ? '\n' : '');
}

/**
 * `sent` (a kept answer's bytes) cut at the places of `fills`: each place is given a marker no
 * text holds (a random one), and the text serialised with them is split at the markers; null if
 * a place is not in it.
 */
function cutAtPlaces(sent: string, fills: readonly ViewerFill[]): Cut | null {
  const marker = `\u0000${randomBytes(12).toString('hex')}:`;
  const marks: Array<readonly [AnswerPath, string]> = [];
  const places = new Map<string, number>();
  const neutral: string[] = [];
  for (const fill of fills)
    for (const item of fill.places)
      for (const place of item) {
        places.set(JSON.stringify(place), neutral.length);
        marks.push([place, marker + neutral.length]);
        neutral.push(JSON.stringify(fill.neutral));
      }
  const marked = withValuesInText(sent, marks);
  if (marked === null) return null;
  // A marker as serialised: `"\u0000<hex>:<index>"`.
  const serialised = JSON.stringify(marker)
    .slice(0, -1)
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const split = marked.split(new RegExp(`${serialised}(\\d+)"`));
  const pieces = split.filter((_, i) => i % 2 === 0);
  const gaps = split.filter((_, i) => i % 2 === 1).map(Number);
  return new Set(gaps).size === places.size ? { pieces, gaps, places, neutral } : null;
}

/**
 * What a reader is sent of a kept answer at the front door: undefined for its bytes as kept
 * (no values of their own), else its text with their values in, written from its bytes cut at
 * its places (cut once per answer); null when they cannot be filled in.
 */
function ownTextAtDoor(
  entry: Entry,
  http: SentAnswer,
  values: readonly OwnValue[],
): string | undefined | null {
  if (values.length === 0) return undefined;
  if (entry.cut === undefined) entry.cut = cutAtPlaces(http.bytes.toString(), entry.fills);
  return entry.cut === null ? null : filledIn(entry.cut, values);
}

/** The text of a cut answer with a reader's own values in; null if one of their places is not among its places. */
function filledIn(cut: Cut, values: readonly OwnValue[]): string | null {
  const at = [...cut.neutral];
  for (const [place, value] of values) {
    const index = cut.places.get(JSON.stringify(place));
    if (index === undefined) return null;
    at[index] = JSON.stringify(value);
  }
  let text = cut.pieces[0];
  cut.gaps.forEach((gap, i) => (text += at[gap] + cut.pieces[i + 1]));
  return text;
}

/** What the front door keeps of an answer sent to a reader with `values` of their own: the text without them. */
function keptFor(key: string, entry: Entry, values: readonly OwnValue[]): KeptFor<Entry> {
  if (values.length === 0) return { key, entry };
  const neutral = neutralOf(values);
  return { key, entry, keptAs: (sent) => withValuesInText(sent, neutral) };
}

/** The neutral values at a reader's own values' places: what a kept answer holds there. */
function neutralOf(values: readonly OwnValue[]): Array<readonly [AnswerPath, unknown]> {
  return values.map(([place, , neutral]) => [place, neutral] as const);
}

/** `data` with each value at its place, copying only the objects and lists on the way; null if a place is missing. */
function withValues(
  data: unknown,
  values: readonly (readonly [AnswerPath, unknown, ...unknown[]])[],
): Record<string, unknown> | null {
  type Node = Record<string | number, unknown>;
  if (typeof data !== 'object' || data === null) return null;
  const copies = new Set<unknown>();
  const copy = (node: object): Node => {
    const copied = (Array.isArray(node) ? [...(node as unknown[])] : { ...node }) as Node;
    copies.add(copied);
    return copied;
  };
  const root = copy(data);
  for (const [place, value] of values) {
    let node = root;
    for (let step = 0; step < place.length - 1; step++) {
      const key = place[step];
      const child = node[key];
      if (typeof child !== 'object' || child === null || !Object.hasOwn(node, key)) return null;
      node = copies.has(child) ? (child as Node) : (node[key] = copy(child));
    }
    const last = place[place.length - 1];
    if (last === undefined || !Object.hasOwn(node, last)) return null;
    node[last] = value;
  }
  return root;
}
