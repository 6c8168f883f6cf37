import { Injectable } from '@nestjs/common';
import { Role } from '../infrastructure/auth/role';
import {
  type NodeViewer,
  NodeRegistry,
  RegisteredNodeSource,
} from '../infrastructure/graphql/nodes/node-registry';
import { ReviewItemsRepository } from './review-items.repository';
import { toReviewItemModel } from './review.mapper';
import { ReviewQueueService } from './review-queue.service';

/** `node(id:)` for review items: moderators, within their scope (as `reviewItem(id:)`). */
@Injectable()
export class ReviewItemNodeSource extends RegisteredNodeSource {
  readonly typeName = 'ReviewItem';

  constructor(
    registry: NodeRegistry,
    private readonly items: ReviewItemsRepository,
    private readonly queue: ReviewQueueService,
  ) {
    super(registry);
  }

  async find(id: string, { principal }: NodeViewer): Promise<object | null> {
    if (principal === undefined || !principal.roles.has(Role.MODERATOR)) return null;
    const item = await this.items.findById(id);
    if (item === null) return null;
    const filter = await this.queue.effectiveFilter(principal, null);
    return ReviewQueueService.matches(item, filter) ? toReviewItemModel(item) : null;
  }
}
