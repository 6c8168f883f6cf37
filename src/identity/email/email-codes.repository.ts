import { Injectable } from '@nestjs/common';
import { type EntityManager, LessThan } from 'typeorm';
import { EmailCodeEntity } from './email-code.entity';

/**
 * One-time email codes and their request counters, by row key (identity store). Always in
 * the caller's transaction: a code is read and changed in one.
 */
@Injectable()
export class EmailCodesRepository {
  findByKey(manager: EntityManager, key: string): Promise<EmailCodeEntity | null> {
    return manager.findOneBy(EmailCodeEntity, { emailIndex: key });
  }

  /** Writes the row of a new code (and its request counter), replacing the row's old code. */
  async save(manager: EntityManager, row: EmailCodeEntity): Promise<void> {
    await manager.save(EmailCodeEntity, row);
  }

  /** Rows whose code and request window both ended before `before`. */
  async deleteStale(manager: EntityManager, before: Date): Promise<void> {
    await manager.delete(EmailCodeEntity, {
      expiresAt: LessThan(before),
      windowStartedAt: LessThan(before),
    });
  }

  /** The code of the row is used up (the row stays for its request counter). */
  async useUp(manager: EntityManager, key: string): Promise<void> {
    await manager.update(EmailCodeEntity, { emailIndex: key }, { codeHash: null });
  }

  /** Counts a wrong try: the row's tries become `attempts`; `lastTry` also ends its code. */
  async countWrongTry(
    manager: EntityManager,
    key: string,
    attempts: number,
    lastTry: boolean,
  ): Promise<void> {
    await manager.update(
      EmailCodeEntity,
      { emailIndex: key },
      { attempts, ...(lastTry ? { codeHash: null } : {}) },
    );
  }
}
