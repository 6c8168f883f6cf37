import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CompaniesModule } from '../companies/companies.module';
import { AuthGuard } from '../infrastructure/auth/auth.guard';
import { PRINCIPAL_RESOLVER } from '../infrastructure/auth/principal';
import { AccountsResolver } from './accounts/accounts.resolver';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { PasswordChangesService } from './accounts/password-changes.service';
import { ViewerService } from './accounts/viewer.service';
import { BanListRepository } from './ban-list/ban-list.repository';
import { BanListService } from './ban-list/ban-list.service';
import { EmailCodeService } from './email/email-code.service';
import { EmailCodesRepository } from './email/email-codes.repository';
import { EmailIndexService } from './email/email-index.service';
import { EmployerVerificationResolver } from './memberships/employer-verification.resolver';
import { MembershipsRepository } from './memberships/memberships.repository';
import { MembershipsService } from './memberships/memberships.service';
import { ModeratorScopesResolver } from './moderation/moderator-scopes.resolver';
import { ModeratorScopesService } from './moderation/moderator-scopes.service';
import { NotificationSealer } from './moderation/notification-sealer';
import {
  NotificationsResolver,
  ViewerNotificationsResolver,
} from './moderation/notifications.resolver';
import { ActivityNotifications } from './moderation/activity-notifications';
import { NotificationAudience } from './moderation/notification-audience';
import { BookmarksService } from './bookmarks/bookmarks.service';
import { StaffRecords } from './staff/staff-records';
import { LegacyStaffRows } from './staff/legacy-staff-rows';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KeyRing } from '../infrastructure/crypto/key-ring';
import { IDENTITY_STORE } from '../infrastructure/database/stores';
import { IdentityRestamp } from './restamp/identity-restamp';
import { IdentityEffectsHandler } from './moderation/identity-effects.handler';
import { NotificationsRepository } from './moderation/notifications.repository';
import { NotificationsService } from './moderation/notifications.service';
import { ReporterStatsRepository } from './moderation/reporter-stats.repository';
import { ReporterStatsService } from './moderation/reporter-stats.service';
import { SanctionsRepository } from './moderation/sanctions.repository';
import { SanctionsService } from './moderation/sanctions.service';
import { SealedAccounts } from './moderation/sealed-accounts';
import { PasswordHasher } from './passwords/password-hasher.service';
import { PseudonymsModule } from './pseudonyms/pseudonyms.module';
import { AuthorSealService } from './sealing/author-seal.service';
import { ContentTokenService } from './sealing/content-token.service';
import { SealedReferenceService } from './sealing/sealed-reference.service';
import { StaffTokenService } from './sealing/staff-token.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { IdentityWrites } from './sessions/identity-writes';
import { PrincipalCache } from './sessions/principal-cache';
import { SessionsService } from './sessions/sessions.service';
import { AuditModule } from '../audit/audit.module';

/**
 * Everything that knows who someone is: accounts, codes, passwords, sessions, roles,
 * memberships. Exports only what content features need — pseudonyms, keyed tokens (of posts
 * and of staff), sealed references and membership counts — never an account lookup by content.
 * For moderation it exports services that act on the person behind a sealed reference
 * (sanctions, notifications, reporter accuracy) without returning who it is; the lookup
 * itself (SealedAccounts) stays inside.
 */
@Module({
  imports: [CompaniesModule, AuditModule, PseudonymsModule],
  providers: [
    EmailIndexService,
    EmailCodesRepository,
    EmailCodeService,
    PasswordHasher,
    SessionsRepository,
    SessionsService,
    IdentityWrites,
    PrincipalCache,
    AccountsRepository,
    AccountsService,
    PasswordChangesService,
    ViewerService,
    MembershipsRepository,
    MembershipsService,
    BanListRepository,
    BanListService,
    ContentTokenService,
    SealedReferenceService,
    AuthorSealService,
    StaffTokenService,
    SealedAccounts,
    SanctionsRepository,
    SanctionsService,
    NotificationSealer,
    NotificationsRepository,
    NotificationsService,
    ReporterStatsRepository,
    ReporterStatsService,
    NotificationAudience,
    ActivityNotifications,
    IdentityEffectsHandler,
    IdentityRestamp,
    BookmarksService,
    {
      provide: StaffRecords,
      inject: [KeyRing, getDataSourceToken(IDENTITY_STORE)],
      useFactory: (keys: KeyRing, identity: DataSource) => new StaffRecords(keys, identity),
    },
    LegacyStaffRows,
    ModeratorScopesService,
    AccountsResolver,
    EmployerVerificationResolver,
    NotificationsResolver,
    ViewerNotificationsResolver,
    ModeratorScopesResolver,
    { provide: PRINCIPAL_RESOLVER, useExisting: SessionsService },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    PRINCIPAL_RESOLVER,
    PseudonymsModule,
    ContentTokenService,
    SealedReferenceService,
    AuthorSealService,
    StaffTokenService,
    MembershipsService,
    PasswordHasher,
    SanctionsService,
    NotificationsService,
    ReporterStatsService,
    ModeratorScopesService,
    NotificationAudience,
    BookmarksService,
  ],
})
export class IdentityModule {}
