import { Args, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { UnauthenticatedException } from '../../common/errors';
import { Viewer } from '../accounts/viewer.model';
import { CurrentPrincipal } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Notification } from './notification.model';
import { NOTIFICATION_LIST_CAP, NotificationsService } from './notifications.service';

/** The signed-in person's own notifications (members and staff alike; never anyone else's). */
@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @Query(() => [Notification], {
    description: `Your notifications, newest first (at most ${NOTIFICATION_LIST_CAP}).`,
  })
  async notifications(
    @CurrentPrincipal() principal: Principal,
    @Args('unreadOnly', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description: 'True for only the unread ones.',
    })
    unreadOnly: boolean | null,
  ): Promise<Notification[]> {
    return this.service.list(principal.accountId, unreadOnly === true);
  }

  @Mutation(() => Int, {
    description:
      'Marks your unread notifications among `ids` as read; returns how many were. Other ids count for nothing.',
  })
  async markNotificationsRead(
    @CurrentPrincipal() principal: Principal,
    @Args('ids', { type: () => [ID], description: 'Notification ids (`Notification.id`).' })
    ids: string[],
  ): Promise<number> {
    return this.service.markRead(principal.accountId, ids);
  }
}

/** `Viewer.unreadNotifications`. */
@Resolver(() => Viewer)
export class ViewerNotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @ResolveField(() => Int, {
    description: `How many of your notifications are unread (at most ${NOTIFICATION_LIST_CAP}).`,
  })
  async unreadNotifications(@CurrentPrincipal() principal?: Principal): Promise<number> {
    if (principal === undefined) throw new UnauthenticatedException();
    return this.service.unreadCount(principal.accountId);
  }
}
