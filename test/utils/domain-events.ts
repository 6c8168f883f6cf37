import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource, IsNull } from 'typeorm';
import { RetroactiveRunEntity } from '../../src/compliance/enforcement/content-enforcement.entity';
import { CONTENT_STORE } from '../../src/infrastructure/database/stores';
import { OutboxEventEntity } from '../../src/infrastructure/events/outbox-event.entity';
import { waitFor } from './wait';

const content = (app: INestApplication) => app.get<DataSource>(getDataSourceToken(CONTENT_STORE));

/** The content store's outbox rows not yet delivered (failed ones left out). */
export function pendingEvents(app: INestApplication): Promise<OutboxEventEntity[]> {
  return content(app).getRepository(OutboxEventEntity).findBy({ failedAt: IsNull() });
}

/** Resolves once every domain event published so far has been handled (the outbox is empty). */
export async function outboxDrained(app: INestApplication): Promise<void> {
  await waitFor('every domain event to be handled', async () => {
    return (await pendingEvents(app)).length === 0;
  });
}

/**
 * Resolves with the retroactive run of `ruleSetId` once it has finished: its publication's
 * event was delivered, the run recorded and every batch applied.
 */
export function retroactiveRunDone(
  app: INestApplication,
  ruleSetId: string,
): Promise<RetroactiveRunEntity> {
  return waitFor(`the retroactive run of ${ruleSetId} to finish`, async () => {
    const run = await content(app).getRepository(RetroactiveRunEntity).findOneBy({ ruleSetId });
    return run?.status === 'DONE' ? run : undefined;
  });
}
