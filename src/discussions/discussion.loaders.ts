import { Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { ContentPolicy } from '../compliance/enforcement/content-policy.service';
import type { ComplianceNotice } from '../compliance/notices/compliance-notice.model';
import type { Principal } from '../infrastructure/auth/principal';
import { byKeys, requestLoader } from '../infrastructure/graphql/request-loaders';
import type { ThreadEntity } from '../posts/thread.entity';
import { ThreadsRepository } from '../posts/threads.repository';
import type { Poll } from './polls/poll.model';
import { PollsService } from './polls/polls.service';
import { VotesService } from './votes/votes.service';

/** Request-scoped batch loaders for what a page resolves per item (threads by id, the viewer's votes, polls). */
@Injectable()
export class DiscussionLoaders {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly votes: VotesService,
    private readonly policy: ContentPolicy,
    private readonly polls: PollsService,
  ) {}

  /** Compliance notices per post (asked only for the author's own posts, or by staff). */
  notices(req: object): DataLoader<string, ComplianceNotice[]> {
    return requestLoader(req, 'notices', async (ids: readonly string[]) => {
      const found = await this.policy.noticesOf(ids);
      return ids.map((id) => found.get(id) ?? []);
    });
  }

  threadById(req: object): DataLoader<string, ThreadEntity | null> {
    return requestLoader(req, 'thread-by-id', async (ids: readonly string[]) =>
      byKeys(ids, await this.threads.findByIds(ids), (t) => t.id, null),
    );
  }

  /** Each thread's poll as the viewer sees it (the request has one viewer, so one loader). */
  poll(req: object, principal: Principal | undefined): DataLoader<string, Poll | null> {
    return requestLoader(req, 'poll', (threadIds: readonly string[]) =>
      this.polls.forThreads(principal, threadIds),
    );
  }

  /** The signed-in viewer's vote per target (the request has one principal, so one loader). */
  viewerVote(req: object, principal: Principal): DataLoader<string, number> {
    return requestLoader(req, 'viewer-vote', (ids: readonly string[]) =>
      this.votes.viewerVotes(principal, ids),
    );
  }
}
