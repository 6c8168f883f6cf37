import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BoardsService } from '../../boards/boards.service';
import { BadUserInputException } from '../../common/errors';
import {
  decodeOpaqueCursor,
  encodeOpaqueCursor,
  pageSize,
  withLazyCursor,
} from '../../common/opaque-cursor';
import type { Principal } from '../../infrastructure/auth/principal';
import { CursorCipher } from '../../infrastructure/crypto/cursor-cipher';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import {
  findThreadSearchHits,
  type SearchHit,
  type SearchPosition,
} from '../../posts/thread-search.index';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ContentAccess, type Viewer } from '../access/content-access.service';
import { ThreadsService } from '../threads/threads.service';
import { parseSearchQuery, QUERY_MAX_CHARS, type SearchTerm, snippetOf } from './search-text';

/** How many more hits than asked for each round reads, for those the access policy leaves out. */
const OVERFETCH = 10;
/** At most this many rounds a page reads before it ends early (hasNextPage stays true). */
const MAX_ROUNDS = 4;

export interface SearchPage {
  items: Array<{ cursor: string; thread: ThreadEntity; snippet: string }>;
  hasNextPage: boolean;
}

/**
 * Full-text search of threads (docs/discussions.md, "Search"): the index finds published
 * threads on the boards the viewer reads, best first; ContentAccess decides, hit by hit, what
 * the viewer may find in a list (ContentAccessPolicy's LIST: status, board, withholding for
 * their jurisdictions), and the page is filled from the next hits when it leaves some out.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource(CONTENT_STORE) private readonly content: DataSource,
    private readonly boards: BoardsService,
    private readonly threadsRepository: ThreadsRepository,
    private readonly threads: ThreadsService,
    private readonly access: ContentAccess,
    private readonly cursors: CursorCipher,
  ) {}

  async search(
    query: string,
    first: number,
    after: string | null | undefined,
    boardSlug: string | null | undefined,
    viewer: Viewer,
  ): Promise<SearchPage> {
    const limit = pageSize(first);
    const terms = searchTerms(query);
    const list = searchList(terms, boardSlug);
    const position = this.decode(list, after);
    const boardIds = await this.boardIds(boardSlug, viewer.principal);
    if (terms.length === 0 || boardIds.length === 0) return { items: [], hasNextPage: false };
    const found: Array<{ hit: SearchHit; thread: ThreadEntity }> = [];
    let from = position;
    let more = true;
    for (let round = 0; round < MAX_ROUNDS && found.length <= limit && more; round += 1) {
      const batch = limit + 1 - found.length + OVERFETCH;
      const hits = await findThreadSearchHits(this.content, terms, boardIds, from, batch);
      more = hits.length === batch;
      if (hits.length === 0) break;
      from = hits[hits.length - 1];
      found.push(...(await this.listable(hits, viewer)));
    }
    const page = found.slice(0, limit);
    const counted = await this.threads.withVisibleCounts(
      page.map((f) => f.thread),
      viewer.jurisdictions,
    );
    return {
      hasNextPage: found.length > limit || more,
      items: page.map(({ hit }, i) =>
        withLazyCursor(
          {
            thread: counted[i],
            snippet: snippetOf(counted[i].title, counted[i].body, terms),
          },
          () => encodeOpaqueCursor(this.cursors, list, [hit.score, hit.id]),
        ),
      ),
    };
  }

  /** The hits' threads the viewer may find in a list, in the hits' order. */
  private async listable(
    hits: readonly SearchHit[],
    viewer: Viewer,
  ): Promise<Array<{ hit: SearchHit; thread: ThreadEntity }>> {
    const byId = new Map(
      (await this.threadsRepository.findByIds(hits.map((h) => h.id))).map((t) => [t.id, t]),
    );
    const candidates = hits.flatMap((hit) => {
      const thread = byId.get(hit.id);
      return thread === undefined ? [] : [{ hit, thread }];
    });
    const allowed = await this.access.listable(
      candidates.map(({ thread }) => ({ thread })),
      viewer,
    );
    return candidates.filter((_, i) => allowed[i]);
  }

  /** The boards searched: the one named (when the viewer reads it), else every board they read. */
  private async boardIds(
    boardSlug: string | null | undefined,
    principal: Principal | undefined,
  ): Promise<string[]> {
    if (boardSlug !== null && boardSlug !== undefined) {
      const board = await this.boards.readableBySlug(boardSlug, principal);
      return board === null ? [] : [board.id];
    }
    return (await this.boards.readableBoards(principal)).map((b) => b.id);
  }

  private decode(list: string, after: string | null | undefined): SearchPosition | null {
    if (after === null || after === undefined) return null;
    const [score, id] = decodeOpaqueCursor(
      this.cursors,
      list,
      after,
      (parts): parts is [number, string] =>
        parts.length === 2 &&
        typeof parts[0] === 'number' &&
        Number.isFinite(parts[0]) &&
        typeof parts[1] === 'string' &&
        parts[1].length <= 36,
      'after is not a cursor of this search.',
    );
    return { score, id };
  }
}

/** The query's terms; BAD_USER_INPUT when it is blank or longer than QUERY_MAX_CHARS. */
function searchTerms(query: string): SearchTerm[] {
  if (query.trim().length === 0) {
    throw new BadUserInputException('query must not be empty.', { fields: ['query'] });
  }
  if (query.length > QUERY_MAX_CHARS) {
    throw new BadUserInputException(`query must be at most ${QUERY_MAX_CHARS} characters.`, {
      fields: ['query'],
    });
  }
  return parseSearchQuery(query);
}

/**
 * The cursor kind of a search: its terms and board, hashed (so a cursor opens only for the
 * same search, and the kind holds no query text).
 */
function searchList(terms: readonly SearchTerm[], boardSlug: string | null | undefined): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([terms, boardSlug ?? null]))
    .digest('base64url');
  return `search:${digest}`;
}
