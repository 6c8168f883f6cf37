import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Kind, type OperationDefinitionNode, OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RateLimitedException } from '../../common/errors';
import { AppConfig } from '../config/app-config';
import { ContentWrites } from '../events/content-writes';
import { MetricsService } from '../metrics/metrics.service';
import { ThrottlerCounterStorage } from '../rate-limit/throttler-counter-storage';

/** Root query fields whose answer to a visitor depends only on the query, its variables and the visitor's jurisdiction. */
const VISITOR_CACHEABLE_FIELDS = new Set([
  'board',
  'boards',
  'thread',
  'jurisdictions',
  'home',
  'trending',
]);
/** Answers kept at most (each a few KB: a feed page of 20 threads is about 6 KB). */
const MAX_ENTRIES = 2_000;

/**
 * A short-lived cache of whole answers to visitors (requests without `Authorization`) for
 * the public reads: the first page of a busy board is asked for by every visitor, and
 * answering it again costs 2–5× what serving a stored answer costs (docs/performance.md).
 *
 * - Only queries whose root fields are all in VISITOR_CACHEABLE_FIELDS, and only answers
 *   without errors, are kept; members are never served from it (their answers carry
 *   `isViewer`, `viewerVote` and notices).
 * - Keyed by the document's hash, operation name, variables and the visitor's jurisdiction
 *   (what they may see depends on it).
 * - An answer lives `VISITOR_CACHE_MS` (default 1,000 ms; 0 turns the cache off), and the
 *   whole cache is dropped whenever this instance commits a write to the content store, so a
 *   visitor never sees an answer older than the last write. With several instances each
 *   write is also announced over Redis and every instance drops its cache (a message's
 *   latency later); if Redis is away, other instances' writes show within VISITOR_CACHE_MS.
 * - A cached answer still counts against the address's request budget.
 *
 * Apollo's response-cache plugin is not used: it decides what to keep from per-field cache
 * hints, whose plugin wraps every field resolver (14 % of a feed request's CPU, measured).
 */
@Injectable()
export class VisitorCache {
  private readonly entries: LRUCache<string, GraphQLResponse['body']> | null;
  /** Bumped on every clear: an answer computed across a write is not kept. */
  private generation = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly limits: ThrottlerCounterStorage,
    writes: ContentWrites,
    private readonly metrics: MetricsService,
  ) {
    this.entries =
      config.VISITOR_CACHE_MS > 0
        ? new LRUCache({ max: MAX_ENTRIES, ttl: config.VISITOR_CACHE_MS, ttlAutopurge: false })
        : null;
    if (this.entries !== null) writes.onWrite(() => this.clear());
  }

  /** Drops every cached answer (also done on every content write of this instance). */
  clear(): void {
    this.generation++;
    this.entries?.clear();
  }

  plugin(): ApolloServerPlugin<{ req: Request }> {
    const entries = this.entries;
    if (entries === null) return {};
    return {
      requestDidStart: () => {
        let key: string | null = null;
        let generation = 0;
        return Promise.resolve({
          responseForOperation: async ({ contextValue, operation, queryHash, request }) => {
            const { req } = contextValue;
            if (!isVisitorRead(req, operation)) return null;
            generation = this.generation;
            key = JSON.stringify([
              queryHash,
              request.operationName ?? '',
              request.variables ?? {},
              this.jurisdictionOf(req),
            ]);
            const cached = entries.get(key);
            this.metrics.visitorCacheLookup(cached !== undefined);
            if (cached === undefined) return null;
            const refusal = await this.overBudget(req);
            const body: GraphQLResponse['body'] =
              refusal === null
                ? cached
                : {
                    kind: 'single',
                    singleResult: {
                      data: null,
                      errors: [
                        {
                          message: refusal.message,
                          extensions: { ...refusal.details, code: refusal.code },
                        },
                      ],
                    },
                  };
            return { http: { headers: new Map() }, body } as unknown as GraphQLResponse;
          },
          willSendResponse: ({ response, errors }) => {
            const body = response.body;
            if (
              key !== null &&
              generation === this.generation &&
              (errors === undefined || errors.length === 0) &&
              body.kind === 'single' &&
              body.singleResult.errors === undefined &&
              !entries.has(key)
            ) {
              entries.set(key, body);
            }
            return Promise.resolve();
          },
        });
      },
    };
  }

  /** The jurisdiction a visitor is judged by (the trusted proxy's header when configured). */
  private jurisdictionOf(req: Request): string {
    const header = this.config.TRUSTED_JURISDICTION_HEADER;
    const value = header === '' ? undefined : req.headers[header.toLowerCase()];
    return typeof value === 'string'
      ? value.trim().toUpperCase()
      : this.config.DEFAULT_JURISDICTION;
  }

  /**
   * Counts the answer against the address's general budget, as the resolvers' guard would;
   * the refusal to send instead when the budget is spent.
   */
  private async overBudget(req: Request): Promise<RateLimitedException | null> {
    const address = req.ips.length > 0 ? req.ips[0] : (req.ip ?? '');
    const ttl = this.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    const { isBlocked } = await this.limits.increment(
      `visitor-cache:${address}`,
      ttl,
      this.config.RATE_LIMIT_MAX,
      ttl,
      'default',
    );
    // The whole window, as the resolvers' guard answers a per-address budget.
    return isBlocked
      ? new RateLimitedException(this.config.RATE_LIMIT_WINDOW_SECONDS, 'default')
      : null;
  }
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
