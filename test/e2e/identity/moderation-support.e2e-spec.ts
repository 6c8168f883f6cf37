import { OPERATOR_ACTOR } from '../../../src/audit/audit-trail.service';
import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException, ErrorCode } from '../../../src/common/errors';
import { AccountsService } from '../../../src/identity/accounts/accounts.service';
import { ModeratorScopesService } from '../../../src/identity/moderation/moderator-scopes.service';
import { NotificationEntity } from '../../../src/identity/moderation/notification.entity';
import {
  NOTIFICATION_LIST_CAP,
  NotificationsService,
} from '../../../src/identity/moderation/notifications.service';
import { ReporterStatEntity } from '../../../src/identity/moderation/reporter-stat.entity';
import { ReporterStatsService } from '../../../src/identity/moderation/reporter-stats.service';
import { SanctionKind } from '../../../src/identity/moderation/sanction-kind';
import { SanctionEntity } from '../../../src/identity/moderation/sanction.entity';
import { SanctionsService } from '../../../src/identity/moderation/sanctions.service';
import { AuthorSealService } from '../../../src/identity/sealing/author-seal.service';
import { SessionsService } from '../../../src/identity/sessions/sessions.service';
import { Role } from '../../../src/infrastructure/auth/role';
import { IDENTITY_STORE } from '../../../src/infrastructure/database/stores';
import {
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
} from '../../utils/identity-client';
import { dumpStore } from '../../utils/store-dump';
import { clockPast } from '../../utils/wait';

interface NotificationView {
  id: string;
  at: string;
  kind: string;
  message: string;
  contentId: string | null;
  read: boolean;
}

const LIST = `query ($unreadOnly: Boolean) {
  notifications(unreadOnly: $unreadOnly) { id at kind message contentId read }
}`;
const MARK = 'mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) }';
const SCOPE = 'mutation ($e: String!, $c: ID) { scopeModerator(email: $e, companyId: $c) }';

/** What assertMayPost threw, as the GraphQL layer would map it (code, message, extensions). */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; details: Record<string, unknown> } | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (!(error instanceof AppException)) throw error;
    return { code: error.code, message: error.message, details: { ...error.details } };
  }
}

describe('Identity support for moderation (sanctions, notifications, reporter accuracy, scopes)', () => {
  let env: IdentityTestApp;
  let identity: DataSource;
  let sanctions: SanctionsService;
  let notifications: NotificationsService;
  let reporters: ReporterStatsService;
  let seals: AuthorSealService;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Vandelay Industries', slug: 'vandelay' });
    identity = env.app.app.get<DataSource>(getDataSourceToken(IDENTITY_STORE));
    sanctions = env.app.app.get(SanctionsService);
    notifications = env.app.app.get(NotificationsService);
    reporters = env.app.app.get(ReporterStatsService);
    seals = env.app.app.get(AuthorSealService);
  });
  afterAll(async () => env.close());

  async function member(): Promise<SignedInClient & { accountId: string }> {
    const client = await signUpMember(env.app, env.smtp);
    const principal = await env.app.app.get(SessionsService).resolve(client.token);
    if (principal === null) throw new Error('no principal');
    return { ...client, accountId: principal.accountId };
  }

  describe('sanctions', () => {
    it('suspends the author behind a sealed reference until the returned end, and lifting ends it', async () => {
      const author = await member();
      await expect(sanctions.assertMayPost(author.accountId)).resolves.toBeUndefined();

      const before = Date.now();
      const applied = await sanctions.applyToAuthor(await seals.sealFor(author.accountId), {
        kind: SanctionKind.SUSPENSION,
        days: 3,
        reasonCode: 'HARASSMENT',
      });
      expect(applied).not.toBeNull();
      const { sanctionId, kind, endsAt } = applied!;
      expect(kind).toBe(SanctionKind.SUSPENSION);
      // Three days from now, rounded up to the hour.
      expect(endsAt!.getTime() % 3_600_000).toBe(0);
      expect(endsAt!.getTime()).toBeGreaterThanOrEqual(before + 3 * 86_400_000);
      expect(endsAt!.getTime()).toBeLessThanOrEqual(Date.now() + 3 * 86_400_000 + 3_600_000);

      const refused = await refusal(sanctions.assertMayPost(author.accountId));
      expect(refused).toEqual({
        code: ErrorCode.FORBIDDEN,
        message: `You are suspended from posting until ${endsAt!.toISOString()}.`,
        details: { reason: 'SUSPENDED', until: endsAt!.toISOString() },
      });

      // The handle given to moderation is not the row's id and names no account.
      const rows = await identity.getRepository(SanctionEntity).findBy({
        accountId: author.accountId,
      });
      expect(rows).toHaveLength(1);
      expect(sanctionId).not.toContain(rows[0].id);
      expect(sanctionId).not.toContain(author.accountId);

      await sanctions.lift(sanctionId);
      await expect(sanctions.assertMayPost(author.accountId)).resolves.toBeUndefined();
      await sanctions.lift(sanctionId); // idempotent
      expect(await refusal(sanctions.lift('v1.not-a-handle'))).toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
    });

    it('records a warning without blocking anything', async () => {
      const author = await member();
      const applied = await sanctions.applyToAuthor(await seals.sealFor(author.accountId), {
        kind: SanctionKind.WARNING,
        days: 30,
        reasonCode: 'SPAM',
      });
      expect(applied).toMatchObject({ kind: SanctionKind.WARNING, endsAt: null });
      await expect(sanctions.assertMayPost(author.accountId)).resolves.toBeUndefined();
    });

    it('bans for good, and a ban outranks a suspension', async () => {
      const author = await member();
      const ref = () => seals.sealFor(author.accountId);
      await sanctions.applyToAuthor(await ref(), {
        kind: SanctionKind.SUSPENSION,
        days: 1,
        reasonCode: 'SPAM',
      });
      const ban = await sanctions.applyToAuthor(await ref(), {
        kind: SanctionKind.BAN,
        days: null,
        reasonCode: 'ILLEGAL',
      });
      expect(ban).toMatchObject({ kind: SanctionKind.BAN, endsAt: null });
      expect(await refusal(sanctions.assertMayPost(author.accountId))).toEqual({
        code: ErrorCode.FORBIDDEN,
        message: 'You are banned from posting.',
        details: { reason: 'BANNED', until: null },
      });
      await sanctions.lift(ban!.sanctionId);
      expect(await refusal(sanctions.assertMayPost(author.accountId))).toMatchObject({
        details: { reason: 'SUSPENDED' },
      });
    });

    it('refuses a suspension without 1–3650 whole days, and a malformed reason code', async () => {
      const author = await member();
      for (const days of [null, 0, 3651, 1.5, -2]) {
        const result = await refusal(
          sanctions.applyToAuthor(await seals.sealFor(author.accountId), {
            kind: SanctionKind.SUSPENSION,
            days,
            reasonCode: 'SPAM',
          }),
        );
        expect(result).toMatchObject({
          code: ErrorCode.BAD_USER_INPUT,
          details: { fields: ['days'] },
        });
      }
      expect(
        await refusal(
          sanctions.applyToAuthor(await seals.sealFor(author.accountId), {
            kind: SanctionKind.WARNING,
            days: null,
            reasonCode: 'no spaces allowed',
          }),
        ),
      ).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, details: { fields: ['reasonCode'] } });
      expect(
        await identity.getRepository(SanctionEntity).countBy({ accountId: author.accountId }),
      ).toBe(0);
      await expect(sanctions.assertMayPost(author.accountId)).resolves.toBeUndefined();
    });

    it('reaches nobody through a forged reference or the reference of a deleted account', async () => {
      const gone = await member();
      const ref = await seals.sealFor(gone.accountId);
      const input = { kind: SanctionKind.BAN, days: null, reasonCode: 'SPAM' };
      expect(await sanctions.applyToAuthor('v1.forged', input)).toBeNull();
      const deleted = await gone.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
        p: gone.password,
      });
      expect(deleted.errors).toBeUndefined();
      expect(await sanctions.applyToAuthor(ref, input)).toBeNull();
      expect(
        await notifications.notifySealed(ref, {
          kind: 'CONTENT_DECISION',
          message: 'hi',
          contentId: null,
        }),
      ).toBe(false);
      await reporters.recordOutcome(ref, true); // no-op, no error
    });
  });

  describe('notifications', () => {
    it('lists the viewer’s own notifications newest first, unread ones on request, and marks only the viewer’s', async () => {
      const alice = await member();
      const bob = await member();
      const removed = randomUUID();
      const upheld = randomUUID();
      expect(
        await notifications.notifySealed(await seals.sealFor(alice.accountId), {
          kind: 'CONTENT_DECISION',
          message: 'Your comment was removed: personal information.',
          contentId: removed,
        }),
      ).toBe(true);
      await clockPast(); // listed by time: the next one is later
      expect(
        await notifications.notifySealed(await seals.sealFor(alice.accountId), {
          kind: 'REPORT_OUTCOME',
          message: 'Thanks: the post you reported was removed.',
          contentId: upheld,
        }),
      ).toBe(true);
      await clockPast();
      expect(
        await notifications.notifyAccount(alice.accountId, {
          kind: 'MEMBERSHIP_MOVED',
          message: 'Your employer label was shown as your industry.',
          contentId: null,
        }),
      ).toBe(true);
      expect(
        await notifications.notifyAccount(bob.accountId, {
          kind: 'CONTENT_DECISION',
          message: 'Bob’s own notice.',
          contentId: randomUUID(),
        }),
      ).toBe(true);

      const all = await alice.gql<{ notifications: NotificationView[] }>(LIST);
      expect(all.errors).toBeUndefined();
      const list = all.data!.notifications;
      expect(list.map((n) => n.kind)).toEqual([
        'MEMBERSHIP_MOVED',
        'REPORT_OUTCOME',
        'CONTENT_DECISION',
      ]);
      expect(list[2]).toMatchObject({
        message: 'Your comment was removed: personal information.',
        contentId: removed,
        read: false,
      });
      expect(list[0].contentId).toBeNull();
      for (const n of list) expect(new Date(n.at).getTime() % 60_000).toBe(0);

      const bobs = (await bob.gql<{ notifications: NotificationView[] }>(LIST)).data!.notifications;
      expect(bobs.map((n) => n.message)).toEqual(['Bob’s own notice.']);

      // Bob's id among Alice's counts for nothing, and stays unread for Bob.
      const marked = await alice.gql<{ markNotificationsRead: number }>(MARK, {
        ids: [list[1].id, list[2].id, bobs[0].id, randomUUID()],
      });
      expect(marked.data).toEqual({ markNotificationsRead: 2 });
      expect(
        (await alice.gql<{ markNotificationsRead: number }>(MARK, { ids: [list[1].id] })).data,
      ).toEqual({ markNotificationsRead: 0 });
      expect(
        (await bob.gql<{ notifications: NotificationView[] }>(LIST)).data!.notifications[0].read,
      ).toBe(false);

      const unread = await alice.gql<{ notifications: NotificationView[] }>(LIST, {
        unreadOnly: true,
      });
      expect(unread.data!.notifications.map((n) => n.kind)).toEqual(['MEMBERSHIP_MOVED']);
      const again = (await alice.gql<{ notifications: NotificationView[] }>(LIST)).data!
        .notifications;
      expect(again.map((n) => n.read)).toEqual([false, true, true]);
      expect(
        (await alice.gql<{ notifications: NotificationView[] }>('{ notifications { id } }')).data!
          .notifications,
      ).toHaveLength(3);

      // The identity store holds neither the content ids nor the messages in clear.
      const dump = await dumpStore(identity);
      for (const secret of [
        removed,
        upheld,
        removed.replace(/-/g, ''),
        'personal information',
        'reported was removed',
      ]) {
        expect(dump).not.toContain(secret.toLowerCase());
      }
      const rows = await identity
        .getRepository(NotificationEntity)
        .findBy({ accountId: alice.accountId });
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.createdAt.getTime() % 3_600_000).toBe(0);
      // Nor their kinds: the column holds one value for all, the kind is sealed.
      expect(rows.map((row) => row.kind)).toEqual(['SEALED', 'SEALED', 'SEALED']);
    });

    it('refuses visitors and malformed ids, and accepts an empty list', async () => {
      const someone = await member();
      expect((await env.app.gql(LIST)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await env.app.gql(MARK, { ids: [] })).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      const bad = await someone.gql(MARK, { ids: ['not-an-id'] });
      expect(bad.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: ['ids'],
      });
      expect((await someone.gql(MARK, { ids: [] })).data).toEqual({ markNotificationsRead: 0 });
    });

    it('refuses a notification without a message', async () => {
      const someone = await member();
      expect(
        await refusal(
          notifications.notifyAccount(someone.accountId, {
            kind: 'CONTENT_DECISION',
            message: '  ',
            contentId: null,
          }),
        ),
      ).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, details: { fields: ['message'] } });
    });

    it('refuses a kind that is not a NotificationKind', async () => {
      const someone = await member();
      expect(
        await refusal(
          notifications.notifyAccount(someone.accountId, {
            kind: 'BULK' as 'REPLY',
            message: 'hello',
            contentId: null,
          }),
        ),
      ).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, details: { fields: ['kind'] } });
    });

    it('goes with the account when it is deleted', async () => {
      const leaving = await member();
      await notifications.notifyAccount(leaving.accountId, {
        kind: 'CONTENT_DECISION',
        message: 'bye',
        contentId: null,
      });
      await sanctions.applyToAuthor(await seals.sealFor(leaving.accountId), {
        kind: SanctionKind.WARNING,
        days: null,
        reasonCode: 'SPAM',
      });
      await reporters.recordOutcome(await seals.sealFor(leaving.accountId), false);
      const rowsOf = (
        entity: typeof NotificationEntity | typeof SanctionEntity | typeof ReporterStatEntity,
      ) => identity.getRepository(entity).countBy({ accountId: leaving.accountId });
      const entities = [NotificationEntity, SanctionEntity, ReporterStatEntity];
      for (const entity of entities) expect(await rowsOf(entity)).toBe(1);
      const deleted = await leaving.gql('mutation ($p: String!) { deleteAccount(password: $p) }', {
        p: leaving.password,
      });
      expect(deleted.data).toEqual({ deleteAccount: true });
      for (const entity of entities) expect(await rowsOf(entity)).toBe(0);
    });

    it('caps a list at 200, newest first', async () => {
      const busy = await member();
      for (let i = 0; i < NOTIFICATION_LIST_CAP + 5; i++) {
        await notifications.notifyAccount(busy.accountId, {
          kind: 'CONTENT_DECISION',
          message: `notice ${i}`,
          contentId: null,
        });
        // Ties within a millisecond have no order: keep the oldest five and the newest apart.
        if (i === 4 || i === NOTIFICATION_LIST_CAP + 3) await clockPast();
      }
      const listed = await notifications.list(busy.accountId);
      expect(listed).toHaveLength(NOTIFICATION_LIST_CAP);
      expect(listed[0].message).toBe(`notice ${NOTIFICATION_LIST_CAP + 4}`);
      expect(listed.map((n) => n.message)).not.toContain('notice 0');
      expect(listed.map((n) => n.message)).not.toContain('notice 4');
    });
  });

  describe('reporter accuracy', () => {
    it('moves a reporter’s weight with the outcomes of their reports, without losing concurrent counts', async () => {
      const reporter = await member();
      expect(await reporters.weightFor(reporter.accountId)).toBe(1);
      await reporters.recordOutcome(await seals.sealFor(reporter.accountId), true);
      expect(await reporters.weightFor(reporter.accountId)).toBeCloseTo(0.5 + 2 / 3, 10);
      await reporters.recordOutcome(await seals.sealFor(reporter.accountId), false);
      await reporters.recordOutcome(await seals.sealFor(reporter.accountId), false);
      expect(await reporters.weightFor(reporter.accountId)).toBeCloseTo(0.5 + 2 / 5, 10);

      const refs = await Promise.all(
        Array.from({ length: 12 }, () => seals.sealFor(reporter.accountId)),
      );
      await Promise.all(refs.map((ref, i) => reporters.recordOutcome(ref, i % 3 !== 0)));
      // 1 + 8 upheld, 2 + 4 rejected.
      expect(await reporters.weightFor(reporter.accountId)).toBeCloseTo(0.5 + 10 / 17, 10);
      expect(await reporters.weightFor(randomUUID())).toBe(1);
    });
  });

  describe('moderator scopes', () => {
    it('lets only admins scope a moderator, and shows the moderator their scope', async () => {
      const moderator = await member();
      const outsider = await member();
      const companies = await env.admin.gql<{ companies: Array<{ id: string; slug: string }> }>(
        '{ companies(search: "vandelay") { id slug } }',
      );
      const companyId = companies.data!.companies[0].id;
      const vars = { e: moderator.email, c: companyId };

      expect((await env.app.gql(SCOPE, vars)).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await outsider.gql(SCOPE, vars)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await env.app.app
        .get(AccountsService)
        .grantRole(moderator.email, Role.MODERATOR, OPERATOR_ACTOR);
      expect((await moderator.gql(SCOPE, vars)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      // Unknown address: the same answer grantRole gives, nothing more.
      const ghost = { e: 'nobody.here@example.org', c: companyId };
      const unknownScope = await env.admin.gql(SCOPE, ghost);
      const unknownGrant = await env.admin.gql(
        'mutation ($e: String!) { grantRole(email: $e, role: MODERATOR) }',
        ghost,
      );
      expect(unknownScope.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
      expect(unknownScope.errors?.[0]?.message).toBe(unknownGrant.errors?.[0]?.message);
      expect(
        (await env.admin.gql(SCOPE, { e: moderator.email, c: randomUUID() })).errors?.[0]
          ?.extensions,
      ).toEqual({ code: 'NOT_FOUND' });

      const viewerScope = async () =>
        (
          await moderator.gql<{ viewer: { moderatorScope: { id: string; slug: string } | null } }>(
            '{ viewer { moderatorScope { id slug name } } }',
          )
        ).data!.viewer.moderatorScope;
      expect(await viewerScope()).toBeNull();
      expect((await env.admin.gql(SCOPE, vars)).data).toEqual({ scopeModerator: true });
      expect(await viewerScope()).toMatchObject({ id: companyId, slug: 'vandelay' });
      expect(await env.app.app.get(ModeratorScopesService).scopeOf(moderator.accountId)).toBe(
        companyId,
      );

      expect((await env.admin.gql(SCOPE, { e: moderator.email, c: null })).data).toEqual({
        scopeModerator: true,
      });
      expect(await viewerScope()).toBeNull();
      expect(await env.app.app.get(ModeratorScopesService).scopeOf(moderator.accountId)).toBeNull();
      expect((await outsider.gql('{ viewer { moderatorScope { id } } }')).data).toEqual({
        viewer: { moderatorScope: null },
      });
    });
  });
});
