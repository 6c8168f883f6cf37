import type { ApolloServerPlugin } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { Kind, type OperationDefinitionNode, OperationTypeNode } from 'graphql';
import type { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { touchesNothing } from '../database/transaction-runner';
import { ContentWrites } from '../events/content-writes';
import { MetricsService } from '../metrics/metrics.service';
import { ThrottlerCounterStorage } from '../rate-limit/throttler-counter-storage';
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

/** Root query fields whose answer to a visitor depends only on the query, its variables and the visitor's jurisdiction. */
const VISITOR_CACHEABLE_FIELDS = new Set([
  'board',
  'boards',
  'thread',
  'jurisdictions',
  'home',
  'trending',
]);

/** The jurisdictions whose withholdings apply to a visitor's request (ContentPolicy.viewerJurisdictions). */
export type VisitorJurisdictions = (req: Request) => readonly string[];

type Entry = KeptAnswer;

/**
 * A short-lived cache of whole answers to visitors (requests without `Authorization`) for
 * the public reads: the first page of a busy board is asked for by every visitor, and
 * answering it again costs 2–5× what serving a stored answer costs (docs/performance.md).
 *
 * - Only queries whose root fields are all in VISITOR_CACHEABLE_FIELDS, and only answers
 *   without errors, are kept; members are never served from it (their answers carry
 *   `isViewer`, `viewerVote` and notices).
 * - Keyed by the query text, operation name, variables, the `Accept` header (it picks the
 *   content type) and the jurisdictions that apply to the visitor, from the same function the
 *   resolvers use (judgeVisitorsBy): what they may see depends on them.
 * - An answer lives `VISITOR_CACHE_MS` (default 1,000 ms; 0 turns the cache off), and the
 *   whole cache is dropped whenever this instance commits a write to the content store, so a
 *   visitor never sees an answer older than the last write. With several instances each
 *   write is also announced over Redis and every instance drops its cache (a message's
 *   latency later); if Redis is away, other instances' writes show within VISITOR_CACHE_MS.
 * - A cached answer still counts against the address's request budget.
 * - Two ways in: Apollo's plugin (plugin()) fills the cache and answers any visitor read from
 *   it; the fast path (fastPath(), run at the HTTP server's front door before Express) answers
 *   a plain visitor POST before Express, Nest and Apollo run, with the headers and bytes Apollo
 *   sent the first time (docs/performance.md, issue 25).
 *
 * Apollo's response-cache plugin is not used: it decides what to keep from per-field cache
 * hints, whose plugin wraps every field resolver (14 % of a feed request's CPU, measured).
 * No library answers before Apollo from Apollo's own answers: the fast path is written here.
 */
@Injectable()
export class VisitorCache {
  private readonly entries: LRUCache<string, Entry> | null;
  /** Bumped on every clear: an answer computed across a write is not kept. */
  private generation = 0;
  /** Unset until the composition root says (app.setup.ts): nothing is cached before. */
  private jurisdictionsOf: VisitorJurisdictions | null = null;
  /** Requests the fast path charged and found over budget: Apollo answers the refusal, uncharged. */
  private readonly refused = new WeakSet<Request>();
  /** Requests whose answer Apollo has kept, with its key: the fast path keeps the bytes sent. */
  private readonly kept = new WeakMap<Request, KeptFor<Entry>>();

  constructor(
    private readonly config: AppConfig,
    private readonly limits: ThrottlerCounterStorage,
    writes: ContentWrites,
    private readonly metrics: MetricsService,
  ) {
    this.entries = keptAnswers(config.VISITOR_CACHE_MS, writes, (touched) => {
      if (!touchesNothing(touched)) this.clear();
    });
  }

  /**
   * The function that says which jurisdictions apply to a visitor (the resolvers' own,
   * ContentPolicy.viewerJurisdictions), so that a key never disagrees with what they compute.
   */
  judgeVisitorsBy(jurisdictionsOf: VisitorJurisdictions): void {
    this.jurisdictionsOf = jurisdictionsOf;
  }

  /** Drops every cached answer (also done on every content write but the outbox's bookkeeping). */
  clear(): void {
    this.generation++;
    this.entries?.clear();
  }

  private keyOf(req: Request, asked: Asked, judge: VisitorJurisdictions): string {
    return answerKey(asked, req, judge(req).join(','));
  }

  plugin(): ApolloServerPlugin<{ req: Request }> {
    const entries = this.entries;
    if (entries === null) return {};
    return {
      requestDidStart: () => {
        let key: string | null = null;
        let generation = 0;
        return Promise.resolve({
          responseForOperation: async ({ contextValue, operation, request }) => {
            const { req } = contextValue;
            const judge = this.jurisdictionsOf;
            if (judge === null || !isVisitorRead(req, operation)) return null;
            generation = this.generation;
            key = this.keyOf(req, request, judge);
            // Charged and counted by the fast path already: only the refusal is left to send.
            const chargedBefore = this.refused.has(req);
            const cached = entries.get(key);
            if (!chargedBefore) this.metrics.visitorCacheLookup(cached !== undefined);
            if (cached === undefined && !chargedBefore) return null;
            const refused = chargedBefore || (await this.overBudget(req));
            return refused ? overBudgetAnswer(this.config) : cachedAnswer(cached!.body);
          },
          willSendResponse: ({ response, errors, operationName, contextValue }) => {
            const body = response.body;
            if (
              key !== null &&
              generation === this.generation &&
              (errors === undefined || errors.length === 0) &&
              body.kind === 'single' &&
              body.singleResult.errors === undefined &&
              !entries.has(key)
            ) {
              const entry: Entry = { body, operationName: operationName ?? null };
              entries.set(key, entry);
              this.kept.set(contextValue.req, { key, entry });
            }
            return Promise.resolve();
          },
        });
      },
    };
  }

  /**
   * A step after body parsing, run at the HTTP server's front door (app.setup.ts): answers a
   * visitor's plain POST /graphql from the answer Apollo sent for the same key, before Express's
   * router, Nest and Apollo run, with the same status, headers (helmet's, Content-Type,
   * Content-Length and Express's ETag as they went out the first time; the request id is this
   * request's) and bytes, the same budget charge, metrics and log line. Anything else, a miss,
   * or a refusal goes on to Apollo; on a miss it keeps the answer Apollo sends if Apollo's
   * plugin kept it. (Express would answer 304 to a matching If-None-Match only for GET and
   * HEAD, so a POST never gets one, from here or from Apollo.)
   */
  fastPath(): (req: Request, res: Response, next: NextFunction) => void {
    const entries = this.entries;
    if (entries === null) return (_req, _res, next) => next();
    return (req, res, next) => {
      const judge = this.jurisdictionsOf;
      const asked = isVisitorPost(req) ? plainBody(req) : null;
      if (judge === null || asked === null) {
        next();
        return;
      }
      const started = process.hrtime.bigint();
      const key = this.keyOf(req, asked, judge);
      const entry = entries.get(key);
      if (entry?.http === undefined) {
        keepSentBytes(req, res, key, this.kept, entries, () => this.generation);
        next();
        return;
      }
      const http = entry.http;
      this.metrics.visitorCacheLookup(true);
      this.overBudget(req).then(
        (blocked) => {
          if (blocked) {
            // Apollo answers the refusal exactly as for any request (429, Retry-After, its metrics).
            this.refused.add(req);
            next();
            return;
          }
          sendKeptAnswer(req, res, entry, http, started, this.metrics);
        },
        (error: unknown) => next(error),
      );
    };
  }

  /** Counts the answer against the address's general budget, as the resolvers' guard would; true when it is spent. */
  private overBudget(req: Request): Promise<boolean> {
    return cachedAnswerOverBudget(this.limits, this.config, 'visitor-cache', req);
  }
}

/**
 * Whether `req` is a POST /graphql, read from the URL alone, so that the HTTP server's front
 * door can pick these requests before Express (app.setup.ts): the only requests the answer
 * caches answer there.
 */
export function isGraphqlPost(req: IncomingMessage): boolean {
  return (
    req.method === 'POST' && (req.url === '/graphql' || req.url?.startsWith('/graphql?') === true)
  );
}

/**
 * Whether `req` is a visitor's POST /graphql (no `Authorization`: sessions are bearer tokens),
 * the only request the visitor cache's fast path may answer.
 */
export function isVisitorPost(req: IncomingMessage): boolean {
  return isGraphqlPost(req) && req.headers.authorization === undefined;
}

function isVisitorRead(
  req: Request | undefined,
  // Undefined when operationName names no operation of the document (Apollo refuses it next).
  operation: OperationDefinitionNode | undefined,
): boolean {
  if (req === undefined || req.headers.authorization !== undefined) return false;
  if (operation?.operation !== OperationTypeNode.QUERY) return false;
  return operation.selectionSet.selections.every(
    (selection) =>
      selection.kind === Kind.FIELD && VISITOR_CACHEABLE_FIELDS.has(selection.name.value),
  );
}
