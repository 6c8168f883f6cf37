import { withLazyCursor } from '../../common/opaque-cursor';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { AFTER_ARG, FIRST_ARG, pageInfoOf } from '../../infrastructure/graphql/page-info.model';
import { CurrentPrincipal, PublicRead } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { SearchRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { toThreadModel } from '../threads/thread.mapper';
import { ThreadsService } from '../threads/threads.service';
import { ThreadSearchConnection } from './search.model';
import { SearchService } from './search.service';

@Resolver()
export class SearchResolver {
  constructor(
    private readonly service: SearchService,
    private readonly threads: ThreadsService,
    private readonly policy: ContentPolicy,
  ) {}

  @PublicRead()
  @SearchRateLimited()
  @Query(() => ThreadSearchConnection, {
    description:
      'Published threads of the boards you read (or of `boardSlug` only) holding every word and "quoted phrase" of `query` (1–200 characters; Chinese needs no spaces), by relevance and recency (docs/discussions.md "Search"). `first` 1–100, `after` an endCursor of the same search.',
  })
  async search(
    @Args('query', {
      description: 'Words and "quoted phrases" that must all occur: 1–200 characters.',
    })
    query: string,
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
    @Args('boardSlug', {
      type: () => String,
      nullable: true,
      description: 'Search this board only (its slug); omitted for every board you read.',
    })
    boardSlug?: string | null,
  ): Promise<ThreadSearchConnection> {
    const page = await this.service.search(query, first, after, boardSlug, {
      principal,
      jurisdictions: this.policy.viewerJurisdictions(principal, req),
    });
    return {
      edges: page.items.map((item) =>
        withLazyCursor(
          {
            node: toThreadModel(item.thread, this.threads.isViewer(principal, item.thread)),
            snippet: item.snippet,
          },
          () => item.cursor,
        ),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after),
    };
  }
}
