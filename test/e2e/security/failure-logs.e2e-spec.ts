import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import { dataOf } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  verifyEmployer,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { tableName } from '../../utils/store-dump';
import { waitFor } from '../../utils/wait';

/**
 * Logs when something fails (SPEC §2.8: logs never carry account ids next to content ids).
 * The happy path is covered by deanonymisation.e2e-spec.ts; this one breaks the identity
 * store under a moderation decision — the sanction cannot be written — and reads what the
 * server logs about it.
 *
 * The decision's identity-side effects go out as a mixed batch of domain events; a batch
 * that fails is logged by the outbox with the event's id, type and handler and the error's
 * class only, and retried. A database error carries its query and parameters (here the
 * author's account id): none of it reaches the line. (An earlier version of this suite found
 * such a leak; it is what keeps it fixed.)
 */

const mockLogLines: string[] = [];
jest.mock('pino', () =>
  jest
    .requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
    .capturingPino((line) => mockLogLines.push(line)),
);

describe('Logs when an identity-side effect of a decision fails', () => {
  let env: IdentityTestApp;
  let author: SignedInClient;
  let authorAccountId: string;
  let decidedStatus: string;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Initech', slug: 'initech' }, undefined, {
      LOG_LEVEL: 'info',
      AUTH_RATE_LIMIT_MAX: '1000',
      REPORT_QUEUE_THRESHOLD: '1',
    });
    const { app, smtp, admin } = env;
    const boardId = await createGeneralBoard(admin);
    author = await signUpMember(app, smtp);
    const [reporter, moderator] = [await signUpMember(app, smtp), await signUpMember(app, smtp)];
    authorAccountId = (await app.app.get(SessionsService).resolve(author.token))!.accountId;
    expect(
      (await verifyEmployer(app, smtp, author, 'author@initech.example')).errors,
    ).toBeUndefined();
    await dataOf(
      admin.gql('mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }', {
        e: moderator.email,
      }),
    );
    const threadId = (
      await dataOf(
        author.gql<{ createThread: { thread: { id: string } } }>(
          'mutation ($b: ID!) { createThread(input: { boardId: $b, title: "t", body: "an insult" }) { thread { id } } }',
          { b: boardId },
        ),
      )
    ).createThread.thread.id;
    await dataOf(
      reporter.gql('mutation ($c: ID!) { report(contentId: $c, reason: HARASSMENT) }', {
        c: threadId,
      }),
    );
    const item = (
      await dataOf(
        moderator.gql<{ reviewQueue: { edges: Array<{ node: { id: string; version: number } }> } }>(
          '{ reviewQueue(first: 10) { edges { node { id version } } } }',
        ),
      )
    ).reviewQueue.edges[0].node;

    // The identity store loses its sanctions table: writing the suspension fails.
    const identity = app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    await identity.query(
      `DROP TABLE ${tableName(identity, identity.getMetadata('sanctions').tablePath)}`,
    );
    mockLogLines.length = 0;
    const { decideReviewItem } = await dataOf(
      moderator.gql<{ decideReviewItem: { status: string } }>(
        'mutation ($i: DecideReviewItemInput!) { decideReviewItem(input: $i) { id status } }',
        {
          i: {
            id: item.id,
            version: item.version,
            decision: 'REJECT',
            reasonCode: 'harassment',
            sanction: { kind: 'SUSPENSION', days: 3 },
          },
        },
      ),
    );
    decidedStatus = decideReviewItem.status;
  });
  afterAll(async () => env.close());

  it('logs the failed delivery of the effects, to be retried (the decision itself stands)', async () => {
    expect(decidedStatus).toBe('REJECTED');
    const failure = await waitFor('the failed delivery to be logged', () => {
      const lines = mockLogLines.filter(
        (line) =>
          line.includes('A domain event handler failed') && line.includes('identity.effects'),
      );
      return lines.length > 0 ? lines : undefined;
    });
    expect(failure[0]).toContain('retrying');
  });

  it('keeps the account id out of that line', () => {
    const leaking = mockLogLines.filter(
      (line) => line.includes(authorAccountId.toLowerCase()) || line.includes(authorAccountId),
    );
    expect(leaking).toEqual([]);
  });
});
