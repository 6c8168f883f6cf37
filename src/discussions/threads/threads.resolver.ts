import { withLazyCursor } from '../../common/opaque-cursor';
import { AFTER_ARG, FIRST_ARG, pageInfoOf } from '../../infrastructure/graphql/page-info.model';
import { ThreadOrder, TopWindow } from '../../posts/thread-order';
import {
  Args,
  Context,
  ID,
  Info,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { BoardLoaders } from '../../boards/board.loaders';
import { toBoardModel } from '../../boards/board.mapper';
import { Board } from '../../boards/board.model';
import type { Request } from 'express';
import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { ComplianceNotice } from '../../compliance/notices/compliance-notice.model';
import { CurrentPrincipal, PublicRead } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { PostRateLimited } from '../../infrastructure/rate-limit/account-rate-limited.decorator';
import { toCommentModel } from '../comments/comment.mapper';
import { CommentConnection } from '../comments/comment.model';
import { type CommentPage, CommentsService } from '../comments/comments.service';
import { DiscussionLoaders } from '../discussion.loaders';
import { ContentNotFoundException } from '../discussions.exception';
import { VotesService } from '../votes/votes.service';
import {
  type AnswerPath,
  MemberAnswers,
  type ReadFrom,
  type ViewerFill,
} from '../../infrastructure/graphql/member-answers';
import { selectedKeys, selectsPath } from './prefilled-fields';
import { toThreadModel } from './thread.mapper';
import {
  CreateThreadInput,
  Thread,
  ThreadConnection,
  type ThreadEdge,
  ThreadPayload,
} from './thread.model';
import { type FeedPage, ThreadsService } from './threads.service';
import { TrendingService, TrendingWindow } from './trending.service';

/** The `order` argument of a feed, with its default. */
const orderArg = (defaultValue: ThreadOrder) => ({
  type: () => ThreadOrder,
  nullable: true,
  defaultValue,
  description: 'The order of the feed; keep it the same across pages.',
});

@Resolver(() => Thread)
export class ThreadsResolver {
  constructor(
    private readonly threads: ThreadsService,
    private readonly commentsService: CommentsService,
    private readonly loaders: DiscussionLoaders,
    private readonly boardLoaders: BoardLoaders,
    private readonly policy: ContentPolicy,
    private readonly votes: VotesService,
    private readonly answers: MemberAnswers,
  ) {}

  @PublicRead()
  @Query(() => Thread, {
    nullable: true,
    description: 'A thread; null when missing or not visible to you.',
  })
  async thread(
    @Args('id', { type: () => ID, description: 'The thread (`Thread.id`).' }) id: string,
    @Context('req') req: Request,
    @Info() info: GraphQLResolveInfo,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Thread | null> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.threads.visible(id, principal, jurisdictions);
    await this.threads.recordThreadRead(principal, id, thread, jurisdictions);
    if (thread === null) return null;
    // Its comments read the thread again (their original poster): the row just read answers.
    this.loaders.threadById(req).prime(thread.id, thread);
    recordViewerValues(
      this.answers,
      this.votes,
      principal,
      info,
      { ids: [thread.id], wrote: (viewer) => [this.threads.isViewer(viewer, thread)] },
      true,
    );
    return toThreadModel(thread, this.threads.isViewer(principal, thread));
  }

  @PostRateLimited()
  @Mutation(() => ThreadPayload, {
    description:
      'Posts a thread on a board you may post on. Rules may refuse it (CONTENT_BLOCKED), hold it for review or withhold it somewhere: `notices` says which.',
  })
  async createThread(
    @Args('input', { description: 'The new thread.' }) input: CreateThreadInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ThreadPayload> {
    const { thread, labelNotice, notices } = await this.threads.create(principal, input);
    return {
      thread: toThreadModel(thread, true),
      notices,
      clientMutationId: input.clientMutationId ?? null,
      labelNotice,
    };
  }

  @PostRateLimited()
  @Mutation(() => ThreadPayload, {
    description:
      'Author only. Changes the title, the body or both; the rules judge the new text as they judge a new post.',
  })
  async editThread(
    @Args('id', { type: () => ID, description: 'Your thread (`Thread.id`).' }) id: string,
    @CurrentPrincipal() principal: Principal,
    @Args('title', {
      type: () => String,
      nullable: true,
      description: 'The new title (1–200 characters); null keeps it.',
    })
    title?: string | null,
    @Args('body', {
      type: () => String,
      nullable: true,
      description: 'The new body (1–20,000 characters); null keeps it.',
    })
    body?: string | null,
  ): Promise<ThreadPayload> {
    const { thread, notices } = await this.threads.edit(principal, id, title, body);
    return {
      thread: toThreadModel(thread, true),
      notices,
      clientMutationId: null,
      labelNotice: null,
    };
  }

  @Mutation(() => Boolean, { description: 'Author only. The thread stays, empty, as DELETED.' })
  async deleteThread(
    @Args('id', { type: () => ID, description: 'Your thread (`Thread.id`).' }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.threads.delete(principal, id);
    return true;
  }

  @ResolveField(() => Board, { description: 'The board the thread is on.' })
  async board(@Parent() thread: Thread, @Context('req') req: object): Promise<Board> {
    const board = await this.boardLoaders.boardById(req).load(thread.boardId);
    if (board === null) throw new ContentNotFoundException('thread');
    return toBoardModel(board);
  }

  @ResolveField(() => Int, { description: 'Your vote: -1, 0 or 1.' })
  async viewerVote(
    @Parent() thread: Thread,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<number> {
    return principal === undefined ? 0 : this.loaders.viewerVote(req, principal).load(thread.id);
  }

  @ResolveField(() => [ComplianceNotice], {
    description: 'Non-empty only for the author (and staff).',
  })
  async notices(
    @Parent() thread: Thread,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<ComplianceNotice[]> {
    if (!thread.author.isViewer && !this.policy.seesNoticesOfOthers(principal)) return [];
    return this.loaders.notices(req).load(thread.id);
  }

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  async comments(
    @Parent() parent: Thread,
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: object,
    @Info() info: GraphQLResolveInfo,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<CommentConnection> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req as Request);
    const [page, thread] = await Promise.all([
      this.commentsService.page(parent.id, first, after, principal, jurisdictions),
      this.loaders.threadById(req).load(parent.id),
    ]);
    await this.recordCommentsRead(principal, parent.id, page, jurisdictions, info);
    const opToken = thread?.authorToken ?? '';
    return {
      edges: page.items.map((item) =>
        withLazyCursor(
          {
            node: toCommentModel(
              item.comment,
              opToken,
              this.commentsService.isViewer(principal, item.comment),
            ),
          },
          () => item.cursor,
        ),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after),
    };
  }

  /**
   * When a member's answer is being computed to be shared (MemberAnswers), records what a
   * thread's comment page needs of a later reader: writes to the thread drop it; a reader's own
   * comments withheld here are listed for them alone, so a page of a thread with comments
   * withheld here is not shared; each reader's `author { isViewer }` and `viewerVote` are
   * filled in (their token per comment, one read of their votes on the page).
   */
  private async recordCommentsRead(
    principal: Principal | undefined,
    threadId: string,
    page: CommentPage,
    jurisdictions: readonly string[],
    info: GraphQLResolveInfo,
  ): Promise<void> {
    if (!this.answers.isRecording(principal)) return;
    this.answers.readsFrom(principal, { page: threadId });
    if (jurisdictions.length > 0) {
      const withheld = await this.policy.withheldComments([threadId], jurisdictions);
      if ((withheld.get(threadId) ?? 0) > 0) this.answers.dependsOnViewer(principal, () => false);
    }
    const comments = page.items.map((item) => item.comment);
    recordViewerValues(this.answers, this.votes, principal, info, {
      ids: comments.map((comment) => comment.id),
      wrote: (viewer) => comments.map((comment) => this.commentsService.isViewer(viewer, comment)),
    });
  }
}

@Resolver(() => Board)
export class BoardThreadsResolver {
  constructor(
    private readonly service: ThreadsService,
    private readonly policy: ContentPolicy,
    private readonly votes: VotesService,
    private readonly answers: MemberAnswers,
  ) {}

  @ResolveField(() => ThreadConnection, {
    description: 'Published threads, `first` 1–100, `after` an endCursor of the same order.',
  })
  async threads(
    @Parent() board: Board,
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @Info() info: GraphQLResolveInfo,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
    @Args('order', orderArg(ThreadOrder.NEW))
    order?: ThreadOrder | null,
    @Args('window', {
      type: () => TopWindow,
      nullable: true,
      defaultValue: TopWindow.ALL,
      description: 'For TOP only: how far back to look. Keep it the same across pages.',
    })
    window?: TopWindow | null,
  ): Promise<ThreadConnection> {
    const page = await this.service.feed(
      board.id,
      principal,
      first,
      after,
      order ?? ThreadOrder.NEW,
      window ?? TopWindow.ALL,
      this.policy.viewerJurisdictions(principal, req),
    );
    recordFeedRead(this.answers, principal, page, {
      board: board.id,
      newestFirst: (order ?? ThreadOrder.NEW) === ThreadOrder.NEW,
    });
    const connection = toThreadConnection(this.service, principal, page, after);
    // Every thread of a board's feed is on that board: the parent answers `board` for all.
    for (const edge of connection.edges) edge.node.board = board;
    recordViewerValues(this.answers, this.votes, principal, info, feedPosts(this.service, page));
    await fillViewerVotes(this.votes, principal, connection, info);
    return connection;
  }
}

/**
 * When a member's answer is being computed to be shared (MemberAnswers), records what a feed
 * page reads from: which threads the feed holds in its order (`list`), and the values of each
 * thread on the page; a write that touches neither (a comment on a thread further down) leaves it.
 */
function recordFeedRead(
  answers: MemberAnswers,
  principal: Principal | undefined,
  page: FeedPage | null,
  list: ReadFrom,
): void {
  if (!answers.isRecording(principal)) return;
  answers.readsFrom(principal, list);
  for (const item of page?.items ?? []) answers.readsFrom(principal, { thread: item.thread.id });
}

const VIEWER_VOTE_PATH = ['edges', 'node', 'viewerVote'] as const;
const IS_VIEWER_PATH = ['edges', 'node', 'author', 'isViewer'] as const;
const ONE_VIEWER_VOTE_PATH = ['viewerVote'] as const;
const ONE_IS_VIEWER_PATH = ['author', 'isViewer'] as const;

/** Posts (threads or comments) whose readers' own values a shared answer fills in. */
interface ViewedPosts {
  readonly ids: readonly string[];
  /** Whether the viewer wrote each of them, in order. */
  wrote(viewer: Principal): boolean[];
}

/** The threads of a feed page as ViewedPosts. */
function feedPosts(service: ThreadsService, page: FeedPage | null): ViewedPosts {
  const threads = page?.items.map((item) => item.thread) ?? [];
  return {
    ids: threads.map((thread) => thread.id),
    wrote: (viewer) => threads.map((thread) => service.isViewer(viewer, thread)),
  };
}

/**
 * When a member's answer is being computed to be shared (MemberAnswers), records how a later
 * reader's own values go into it: where each post's `author { isViewer }` and `viewerVote` sit
 * under the field being resolved (when the operation asks for them): a connection's edges, or
 * (`one`) the post the field answers; and how to read that reader's (their token per post, one
 * read of their votes on them).
 */
function recordViewerValues(
  answers: MemberAnswers,
  votes: VotesService,
  principal: Principal | undefined,
  info: GraphQLResolveInfo,
  posts: ViewedPosts,
  one = false,
): void {
  if (posts.ids.length === 0 || !answers.isRecording(principal)) return;
  const [isViewerPath, votePath] = one
    ? [ONE_IS_VIEWER_PATH, ONE_VIEWER_VOTE_PATH]
    : [IS_VIEWER_PATH, VIEWER_VOTE_PATH];
  const count = one ? null : posts.ids.length;
  if (selectsPath(info, isViewerPath))
    recordFill(answers, principal, info, isViewerPath, count, false, (viewer) =>
      posts.wrote(viewer),
    );
  if (selectsPath(info, votePath))
    recordFill(answers, principal, info, votePath, count, 0, (viewer) =>
      votes.viewerVotes(viewer, posts.ids),
    );
}

/**
 * Records a per-viewer field under the field being resolved: of a page's items (`count` of
 * them; `path` from the connection, its first key the list of edges), or of the one object it
 * answers (`count` null): its places in the answer, one set per item; or, when they cannot be
 * known (a conditional selection on the way), the check that the reader has no value of their
 * own there.
 */
function recordFill(
  answers: MemberAnswers,
  principal: Principal | undefined,
  info: GraphQLResolveInfo,
  path: readonly string[],
  count: number | null,
  neutral: ViewerFill['neutral'],
  valuesFor: ViewerFill['valuesFor'],
): void {
  const keys = selectedKeys(info, path);
  if (keys === null) {
    answers.dependsOnViewer(principal, async (viewer) =>
      (await valuesFor(viewer)).every((value) => value === neutral),
    );
    return;
  }
  const at = responsePathAsArray(info.path);
  const places =
    count === null
      ? [keys.map((key): AnswerPath => [...at, ...key])]
      : Array.from({ length: count }, (_, item) =>
          keys.map(([list, ...rest]): AnswerPath => [...at, list, item, ...rest]),
        );
  answers.fillsPerViewer(principal, { places, neutral, valuesFor });
}
const BOARD_PATH = ['edges', 'node', 'board'] as const;

/**
 * Fills `board` onto a page's threads from one batched read of their boards, when the
 * operation asks for it; a thread whose board is missing is left to the field resolver (which
 * answers NOT_FOUND for it, as before).
 */
async function fillBoards(
  loaders: BoardLoaders,
  req: object,
  connection: ThreadConnection,
  info: GraphQLResolveInfo,
): Promise<void> {
  const nodes = connection.edges.map((edge) => edge.node);
  if (nodes.length === 0 || !selectsPath(info, BOARD_PATH)) return;
  const boards = await loaders.boardById(req).loadMany(nodes.map((node) => node.boardId));
  const models = new Map<string, Board>();
  boards.forEach((board, i) => {
    const node = nodes[i];
    if (board === null || board instanceof Error) return;
    let model = models.get(board.id);
    if (model === undefined) models.set(board.id, (model = toBoardModel(board)));
    node.board = model;
  });
}

/**
 * Fills `viewerVote` onto a page's threads from one read of the viewer's votes, when the
 * operation asks for it (0 for visitors, no read), so that it is answered as a property
 * instead of by the field resolver once per thread (prefilled-fields.ts).
 */
async function fillViewerVotes(
  votes: VotesService,
  principal: Principal | undefined,
  connection: ThreadConnection,
  info: GraphQLResolveInfo,
): Promise<void> {
  const nodes = connection.edges.map((edge) => edge.node);
  if (nodes.length === 0 || !selectsPath(info, VIEWER_VOTE_PATH)) return;
  const values =
    principal === undefined
      ? nodes.map(() => 0)
      : await votes.viewerVotes(
          principal,
          nodes.map((node) => node.id),
        );
  nodes.forEach((node, i) => (node.viewerVote = values[i]));
}

/** A feed page as a ThreadConnection (an unreadable board's feed, null, is empty). */
export function toThreadConnection(
  service: ThreadsService,
  principal: Principal | undefined,
  page: FeedPage | null,
  after: string | null | undefined,
): ThreadConnection {
  const items = page?.items ?? [];
  return {
    edges: items.map(
      (item) =>
        new FeedEdge(toThreadModel(item.thread, service.isViewer(principal, item.thread)), item),
    ),
    pageInfo: pageInfoOf(items, page?.hasNextPage ?? false, after),
  };
}

/**
 * An edge of a feed page: its cursor is its item's, read (and sealed) only when asked for. A
 * class with a getter rather than `withLazyCursor`, which defines a property on every edge of
 * every page.
 */
class FeedEdge implements ThreadEdge {
  constructor(
    readonly node: Thread,
    private readonly item: { readonly cursor: string },
  ) {}

  get cursor(): string {
    return this.item.cursor;
  }
}

@Resolver()
export class HomeResolver {
  constructor(
    private readonly service: ThreadsService,
    private readonly trendingService: TrendingService,
    private readonly policy: ContentPolicy,
    private readonly votes: VotesService,
    private readonly boardLoaders: BoardLoaders,
    private readonly answers: MemberAnswers,
  ) {}

  @PublicRead()
  @Query(() => ThreadConnection, {
    description:
      'Published threads of every board you read (public boards, and your company boards); visitors get the public boards when PUBLIC_READ is on (UNAUTHENTICATED when it is off). `first` 1–100, `after` an endCursor of the same order.',
  })
  async home(
    @Args('first', FIRST_ARG) first: number,
    @Context('req') req: Request,
    @Info() info: GraphQLResolveInfo,
    @CurrentPrincipal() principal?: Principal,
    @Args('after', AFTER_ARG) after?: string | null,
    @Args('order', orderArg(ThreadOrder.HOT))
    order?: ThreadOrder | null,
  ): Promise<ThreadConnection> {
    const page = await this.service.home(
      principal,
      first,
      after,
      order ?? ThreadOrder.HOT,
      this.policy.viewerJurisdictions(principal, req),
    );
    recordFeedRead(this.answers, principal, page, 'every board');
    const connection = toThreadConnection(this.service, principal, page, after);
    recordViewerValues(this.answers, this.votes, principal, info, feedPosts(this.service, page));
    await Promise.all([
      fillViewerVotes(this.votes, principal, connection, info),
      fillBoards(this.boardLoaders, req, connection, info),
    ]);
    return connection;
  }

  @PublicRead()
  @Query(() => [Thread], {
    description:
      'The public boards\' most active threads of the window (docs/discussions.md "Trending"), `first` 1–50.',
  })
  async trending(
    @Context('req') req: Request,
    @CurrentPrincipal() principal?: Principal,
    @Args('window', {
      type: () => TrendingWindow,
      nullable: true,
      defaultValue: TrendingWindow.DAY,
      description: 'How far back to look.',
    })
    window?: TrendingWindow | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: 20,
      description: 'How many threads: 1 to 50.',
    })
    first?: number | null,
  ): Promise<Thread[]> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const found = await this.trendingService.trending(
      principal,
      window ?? TrendingWindow.DAY,
      first ?? 20,
      jurisdictions,
    );
    const counted = await this.service.withVisibleCounts(found, jurisdictions);
    return counted.map((t) => toThreadModel(t, this.service.isViewer(principal, t)));
  }
}
