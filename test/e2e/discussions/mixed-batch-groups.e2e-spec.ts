import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NOTIFICATIONS_PER_TRANSACTION } from '../../../src/identity/moderation/identity-effects.handler';
import { NotificationEntity } from '../../../src/identity/moderation/notification.entity';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { NO_RATE_LIMITS } from '../../../src/infrastructure/rate-limit/no-rate-limits';
import { dataOf } from '../../utils/compliance-client';
import { postComment, postThread } from '../../utils/discussion-client';
import { outboxDrained, pendingEvents } from '../../utils/domain-events';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { tableName } from '../../utils/store-dump';
import { onPostgres } from '../../utils/test-env';

/** More notices than one group: the batch is written in two transactions of notices. */
const COMMENTS = NOTIFICATIONS_PER_TRANSACTION + 12;

describe(`A mixed batch larger than a group of notices (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  let env: IdentityTestApp;
  let identity: DataSource;
  let author: SignedInClient;
  let replier: SignedInClient;
  let general: string;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      ...NO_RATE_LIMITS,
      // Every reply's notice waits until the batch holds them all.
      IDENTITY_MIX_WINDOW_SECONDS: '0',
      IDENTITY_MIX_MIN_BATCH: String(COMMENTS),
      IDENTITY_MIX_MAX_WAIT_SECONDS: '86400',
    });
    identity = env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    general = await createGeneralBoard(env.admin);
    const member = async (email: string) => {
      const client = await signUpMember(env.app, env.smtp);
      await dataOf(verifyEmployer(env.app, env.smtp, client, email));
      return client;
    };
    author = await member('author@initech.example');
    replier = await member('replier@initech.example');
  }, 300_000);
  afterAll(async () => env?.close());

  it("delivers every reply's notice once, in groups, all at the batch's hour", async () => {
    const thread = await postThread(author, general, 'Who moved the standup?', 'It was at ten.');
    const replies: string[] = [];
    for (let i = 0; i < COMMENTS - 1; i++)
      replies.push(await postComment(replier, thread, `Reply number ${i}.`));
    // Held: one short of the batch, nothing has gone out.
    expect(await pendingEvents(env.app.app)).toHaveLength(COMMENTS - 1);
    const notices = identity.getRepository(NotificationEntity);
    expect(await notices.countBy({})).toBe(0);

    replies.push(await postComment(replier, thread, 'The last reply.'));
    await outboxDrained(env.app.app);

    const rows = await notices.find();
    expect(rows).toHaveLength(COMMENTS);
    expect(new Set(rows.map((row) => row.accountId)).size).toBe(1);
    expect(new Set(rows.map((row) => row.createdAt.getTime())).size).toBe(1);
    // The author reads one notice per reply, each about its own comment.
    const { notifications } = await dataOf(
      author.gql<{ notifications: Array<{ kind: string; contentId: string }> }>(
        'query { notifications { kind contentId } }',
      ),
    );
    expect(notifications.map((n) => n.kind)).toEqual(new Array(COMMENTS).fill('REPLY'));
    expect(notifications.map((n) => n.contentId).sort()).toEqual([...replies].sort());
    if (onPostgres()) {
      // Two transactions wrote the notices (a group of 50, then the rest), groups drawn at random.
      const table = tableName(identity, identity.getMetadata(NotificationEntity).tablePath);
      const groups = await identity.query<Array<{ n: string }>>(
        `SELECT COUNT(*) AS n FROM ${table} GROUP BY xmin::text ORDER BY 1 DESC`,
      );
      expect(groups.map((g) => Number(g.n))).toEqual([
        NOTIFICATIONS_PER_TRANSACTION,
        COMMENTS - NOTIFICATIONS_PER_TRANSACTION,
      ]);
    }
  }, 300_000);
});
