import { Injectable } from '@nestjs/common';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import type { PostKind } from './content-enforcement.entity';
import type { CommentEntity } from '../../posts/comment.entity';
import { CommentsRepository } from '../../posts/comments.repository';
import type { PostPosition } from '../../posts/post-queries';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { PollsRepository, type StoredPoll } from '../../posts/polls.repository';
import { ComplianceRecordsRepository } from './compliance-records.repository';

/** A stored, published post with the board it is on. */
export interface PastPost {
  readonly id: string;
  readonly kind: PostKind;
  readonly threadId: string;
  readonly title: string | null;
  /** The post's body; a thread's poll question and options follow it, a line each. */
  readonly body: string;
  readonly createdAt: Date;
  readonly board: BoardEntity;
  /** Jurisdictions it is withheld in now. */
  readonly withheldIn: ReadonlySet<string>;
}

/** A position in the walk: after this post (by creation time, then id). */
export type PastPostCursor = PostPosition;

/**
 * Walks published threads or comments oldest first, a batch at a time, by keyset on
 * (created_at, id): what retroactive publication and impact previews read, without ever
 * loading more than one batch.
 */
@Injectable()
export class PastPosts {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly comments: CommentsRepository,
    private readonly boards: BoardsService,
    private readonly polls: PollsRepository,
    private readonly records: ComplianceRecordsRepository,
  ) {}

  async batch(
    kind: PostKind,
    after: PastPostCursor | null,
    since: Date | null,
    size: number,
  ): Promise<PastPost[]> {
    const rows: Array<ThreadEntity | CommentEntity> =
      kind === 'THREAD'
        ? await this.threads.publishedBatch(after, since, size)
        : await this.comments.publishedBatch(after, since, size);
    // A poll is published with its thread and judged with it (docs/discussions.md, "Polls").
    const polls =
      kind === 'THREAD'
        ? await this.polls.byThreadIds(rows.map((row) => row.id))
        : new Map<string, StoredPoll>();
    const threadOf = new Map<string, ThreadEntity>();
    if (kind === 'COMMENT') {
      const ids = [...new Set(rows.map((row) => (row as CommentEntity).threadId))];
      for (const thread of await this.threads.findByIds(ids)) threadOf.set(thread.id, thread);
    }
    const withholdings = await this.records.withholdingsOfMany(rows.map((row) => row.id));
    const posts: PastPost[] = [];
    for (const row of rows) {
      const thread =
        kind === 'THREAD' ? (row as ThreadEntity) : threadOf.get((row as CommentEntity).threadId);
      const board = thread === undefined ? null : await this.boards.byId(thread.boardId);
      if (thread === undefined || board === null) continue;
      posts.push({
        id: row.id,
        kind,
        threadId: thread.id,
        title: kind === 'THREAD' ? thread.title : null,
        body: withPoll(row.body, polls.get(row.id)),
        createdAt: row.createdAt,
        board,
        withheldIn: withholdings.get(row.id) ?? new Set<string>(),
      });
    }
    return posts;
  }

  /** Published posts left after `after` in `kind`'s walk and in the walks after it (threads, then comments). */
  async remaining(kind: PostKind, after: PastPostCursor | null): Promise<number> {
    const comments = await this.comments.publishedCountAfter(kind === 'COMMENT' ? after : null);
    return kind === 'COMMENT'
      ? comments
      : comments + (await this.threads.publishedCountAfter(after));
  }
}

/** A thread's body with its poll's question and options after it, a line each. */
function withPoll(body: string, poll: StoredPoll | undefined): string {
  if (poll === undefined) return body;
  return [body, poll.poll.question, ...poll.options.map((o) => o.text)].join('\n');
}
