import { Injectable } from '@nestjs/common';
import { ContentPolicy } from '../compliance/enforcement/content-policy.service';
import {
  type NodeViewer,
  NodeRegistry,
  RegisteredNodeSource,
} from '../infrastructure/graphql/nodes/node-registry';
import { CommentsRepository } from '../posts/comments.repository';
import { PollsRepository } from '../posts/polls.repository';
import { ThreadsRepository } from '../posts/threads.repository';
import { ContentAccess } from './access/content-access.service';
import { ContentAction } from './access/content-access.policy';
import { toCommentModel } from './comments/comment.mapper';
import { toThreadModel } from './threads/thread.mapper';
import { ThreadsService } from './threads/threads.service';
import { PollsService } from './polls/polls.service';

/** `node(id:)` for threads: what `thread(id:)` answers. */
@Injectable()
export class ThreadNodeSource extends RegisteredNodeSource {
  readonly typeName = 'Thread';

  constructor(
    registry: NodeRegistry,
    private readonly threads: ThreadsService,
    private readonly policy: ContentPolicy,
  ) {
    super(registry);
  }

  async find(id: string, { req, principal }: NodeViewer): Promise<object | null> {
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.threads.visible(id, principal, jurisdictions);
    return thread === null ? null : toThreadModel(thread, this.threads.isViewer(principal, thread));
  }
}

/** `node(id:)` for comments: a comment the access policy lets the viewer read, in a thread they may read. */
@Injectable()
export class CommentNodeSource extends RegisteredNodeSource {
  readonly typeName = 'Comment';

  constructor(
    registry: NodeRegistry,
    private readonly comments: CommentsRepository,
    private readonly threads: ThreadsRepository,
    private readonly access: ContentAccess,
    private readonly policy: ContentPolicy,
  ) {
    super(registry);
  }

  async find(id: string, { req, principal }: NodeViewer): Promise<object | null> {
    const comment = await this.comments.findById(id);
    const thread = comment === null ? null : await this.threads.findById(comment.threadId);
    if (comment === null || thread === null) return null;
    const viewer = { principal, jurisdictions: this.policy.viewerJurisdictions(principal, req) };
    const { refusal } = await this.access.check(ContentAction.READ, { thread, comment }, viewer);
    if (refusal !== null) return null;
    return toCommentModel(
      comment,
      thread.authorToken,
      this.access.wroteComment(principal, comment),
    );
  }
}

/** `node(id:)` for polls: the poll of a thread the viewer may see, as `Thread.poll` shows it. */
@Injectable()
export class PollNodeSource extends RegisteredNodeSource {
  readonly typeName = 'Poll';

  constructor(
    registry: NodeRegistry,
    private readonly stored: PollsRepository,
    private readonly polls: PollsService,
    private readonly threads: ThreadsService,
    private readonly policy: ContentPolicy,
  ) {
    super(registry);
  }

  async find(id: string, { req, principal }: NodeViewer): Promise<object | null> {
    const poll = await this.stored.findById(id);
    if (poll === null) return null;
    const jurisdictions = this.policy.viewerJurisdictions(principal, req);
    const thread = await this.threads.visible(poll.threadId, principal, jurisdictions);
    if (thread === null) return null;
    const [model] = await this.polls.forThreads(principal, [thread.id]);
    return model ?? null;
  }
}
