import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull, MoreThanOrEqual } from 'typeorm';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { NotificationEntity } from './notification.entity';

/** Notifications to accounts, their content sealed (identity store). */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource) {}

  /**
   * The account's newest `limit` notifications (unread ones only if `unreadOnly`) by the hour
   * their rows keep; when there are that many, every one of the last hour read, so that the
   * caller can order them by their exact (sealed) time. In no particular order then.
   */
  async findNewest(
    accountId: string,
    unreadOnly: boolean,
    limit: number,
  ): Promise<NotificationEntity[]> {
    const repository = this.identity.getRepository(NotificationEntity);
    const where = unreadOnly ? { accountId, readAt: IsNull() } : { accountId };
    const rows = await repository.find({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    if (rows.length < limit) return rows;
    const lastHour = rows[rows.length - 1].createdAt;
    return repository.find({ where: { ...where, createdAt: MoreThanOrEqual(lastHour) } });
  }

  /** Marks the account's unread notifications among `ids` read at `at`; how many were. */
  async markRead(
    manager: EntityManager,
    accountId: string,
    ids: readonly string[],
    at: Date,
  ): Promise<number> {
    const result = await manager.update(
      NotificationEntity,
      { accountId, id: In([...ids]), readAt: IsNull() },
      { readAt: at },
    );
    return result.affected ?? 0;
  }

  /** The account's unread notifications (their kinds are sealed: the caller opens them). */
  findUnread(manager: EntityManager, accountId: string): Promise<NotificationEntity[]> {
    return manager.findBy(NotificationEntity, { accountId, readAt: IsNull() });
  }

  /** Replaces a notification's sealed payload and the hour it keeps. */
  async reseal(
    manager: EntityManager,
    id: string,
    createdAt: Date,
    payload: string,
  ): Promise<void> {
    await manager.update(NotificationEntity, { id }, { createdAt, payload });
  }

  async exists(manager: EntityManager, id: string): Promise<boolean> {
    return (await manager.countBy(NotificationEntity, { id })) > 0;
  }

  async insert(manager: EntityManager, notification: NotificationEntity): Promise<void> {
    await manager.insert(NotificationEntity, notification);
  }
}
