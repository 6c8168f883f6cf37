import type { ApolloServerPlugin } from '@apollo/server';
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
import type { Principal } from '../auth/principal';
import { Role } from '../auth/role';
import { AppConfig } from '../config/app-config';
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
} from './cached-answers';

/**
 * The fields a shared member answer may hold, as `Type.field` (`__typename` anywhere too).
 * Each one's value is the same for every member of the same scope (jurisdictions and current
 * employers, MemberJudge.scopeOf) reading within MEMBER_CACHE_MS, except `Thread.viewerVote`
 * and `Author.isViewer`, whose resolvers record the check that proves a reader's own values
 * are the ones the answer holds (dependsOnViewer). A field that is not listed — `notices`,
 * `viewerFollows`, `viewerBookmarked`, `poll`, `comments`, `Board.company`, anything staff
 * see — makes the whole operation computed for its reader, as before. A field added here must
 * either not depend on the viewer beyond the scope, or record its check.
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

interface Entry extends KeptAnswer {
  readonly checks: readonly ViewerCheck[];
}

type MemberRequest = Request & { principal?: Principal };

/** A member's answer being computed, to be kept if it is neutral (see willSendResponse). */
interface Computing {
  readonly key: string;
  readonly generation: number;
  readonly principal: Principal;
  readonly checks: ViewerCheck[];
}

/**
 * Members' reads of the feeds (`board { threads }`, `home`), answered once per scope and
 * reused for MEMBER_CACHE_MS (default 1,000 ms; 0 turns it off): a busy feed's first page is
 * read by most members of a jurisdiction, and computing it again costs about twice what the
 * rest of a member's request does (docs/performance.md, issue 25).
 *
 * - Only queries whose every field is in SHARED_FIELDS, asked by a member with no role but
 *   MEMBER (staff get their answers computed), are looked up.
 * - Keyed by the query text, operation name, variables, `Accept` and the member's scope
 *   (MemberJudge.scopeOf: jurisdictions and current employers).
 * - An answer is kept only if the member it was computed for passes its own recorded checks
 *   (it holds no vote of theirs, no thread of theirs, none of their withheld threads): it is
 *   then the answer every member of the scope gets who passes them too. A reader who does not
 *   (they voted on a thread of the page, wrote one) gets their answer computed. So a cached
 *   answer is byte for byte what the reader would have been given, no older than
 *   MEMBER_CACHE_MS, and dropped at every content write as the visitor cache's are.
 * - A cached answer costs the reader's address the same budget as a computed one.
 * - Two ways in, as the visitor cache's: Apollo's plugin (plugin()) computes, keeps and answers
 *   from it; the front door (fastPath()) answers a member's plain POST of a query text already
 *   found shareable with the bytes Apollo sent the first time, before Express, Nest and Apollo.
 *
 * Why not patch the per-viewer fields into one shared answer: where a field sits in an answer
 * depends on aliases and fragments; a neutral answer needs no patching, and most readers of a
 * page have neither voted on nor written its threads (the console's own feed is the case).
 */
@Injectable()
export class MemberAnswers {
  private readonly entries: LRUCache<string, Entry> | null;
  private generation = 0;
  private judge: MemberJudge | null = null;
  /** The checks recorded for the answer being computed, by the principal object of its request (a copy of its own). */
  private readonly computing = new WeakMap<Principal, ViewerCheck[]>();
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
    this.entries = keptAnswers(config.MEMBER_CACHE_MS, writes, () => this.clear());
  }

  /** Set once by the composition root: nothing is cached before. */
  judgeMembersBy(judge: MemberJudge): void {
    this.judge = judge;
  }

  /** Drops every kept answer (also done on every content write). */
  clear(): void {
    this.generation++;
    this.entries?.clear();
  }

  /**
   * Called by a resolver whose answer depends on the viewer: if the principal's answer is
   * being computed to be shared, `check` is what a later reader must pass to be given it.
   */
  dependsOnViewer(principal: Principal | undefined, check: ViewerCheck): void {
    if (principal !== undefined) this.computing.get(principal)?.push(check);
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
              const own: Principal = Object.freeze({ ...principal });
              req.principal = own;
              computing = { key, generation: this.generation, principal: own, checks: [] };
              this.computing.set(own, computing.checks);
              return null;
            }
            // Not the reader's answer (they voted on, or wrote, one of its threads): computed.
            const neutral =
              !this.notTheirs.has(req) &&
              (await allHold(entry.checks, principal).catch(() => false));
            this.metrics.memberCacheLookup(neutral);
            if (!neutral) return null;
            const spent = await this.overBudget(req);
            return spent ? overBudgetAnswer(this.config) : cachedAnswer(entry.body);
          },
          willSendResponse: async ({ response, errors, operationName, contextValue }) => {
            const done = computing;
            computing = null;
            if (done === null) return;
            this.computing.delete(done.principal);
            const body = response.body;
            if (
              done.generation !== this.generation ||
              (errors !== undefined && errors.length > 0) ||
              body.kind !== 'single' ||
              body.singleResult.errors !== undefined
            )
              return;
            // Kept only if it is the neutral answer, the one every reader passing the checks
            // gets: the member it was computed for must pass them too (a read of their votes
            // on the page, once per kept answer). Failing checks keep nothing.
            const neutral = await allHold(done.checks, done.principal).catch(() => false);
            if (!neutral || done.generation !== this.generation || entries.has(done.key)) return;
            const entry: Entry = {
              body,
              operationName: operationName ?? null,
              checks: done.checks,
            };
            entries.set(done.key, entry);
            this.kept.set(contextValue.req, { key: done.key, entry });
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
    // Not theirs: computed by Apollo, whose plugin counts the miss without checking again.
    if (!(await allHold(entry.checks, principal))) {
      this.notTheirs.add(req);
      return false;
    }
    this.metrics.memberCacheLookup(true);
    if (await this.overBudget(req)) {
      // Apollo answers the refusal exactly as for any request (429, Retry-After, its metrics).
      this.refused.add(req);
      return false;
    }
    sendKeptAnswer(req, res, entry, http, started, this.metrics);
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

async function allHold(checks: readonly ViewerCheck[], viewer: Principal): Promise<boolean> {
  for (const check of checks) {
    const held = check(viewer);
    if (!(held instanceof Promise ? await held : held)) return false;
  }
  return true;
}
