import {
  ContentNoticeEntity,
  RetroactiveRunEntity,
} from './compliance/enforcement/content-enforcement.entity';
import { ContentWithholdingEntity } from './posts/content-withholding.entity';
import { ReportEntity, ReviewEventEntity, ReviewItemEntity } from './moderation/review.entity';
import { AuditEventEntity, AuditHeadEntity } from './audit/audit-event.entity';
import { BoardEntity } from './boards/board.entity';
import { CompanyDomainEntity } from './companies/company-domain.entity';
import { CompanyRequestEntity } from './companies/company-request.entity';
import { CompanyEntity } from './companies/company.entity';
import {
  JurisdictionEntity,
  JurisdictionGroupMemberEntity,
} from './compliance/jurisdictions/jurisdiction.entity';
import { RuleEntity } from './compliance/rule-sets/rule.entity';
import { RuleSetVersionEntity } from './compliance/rule-sets/rule-set-version.entity';
import { CommentEntity } from './posts/comment.entity';
import { ThreadEntity } from './posts/thread.entity';
import { ThreadHandleEntity } from './posts/thread-handle.entity';
import { OwnPostSlotEntity } from './posts/own-post-slot.entity';
import { VoteEntity } from './discussions/votes/vote.entity';
import { PollEntity, PollOptionEntity, PollVoteEntity } from './posts/poll.entity';
import { StaffRoleEntity, StaffScopeEntity } from './identity/staff/staff-role.entity';
import { AccountEntity } from './identity/accounts/account.entity';
import { EmailCodeEntity } from './identity/email/email-code.entity';
import { MembershipEntity } from './identity/memberships/membership.entity';
import { NotificationEntity } from './identity/moderation/notification.entity';
import { ReporterStatEntity } from './identity/moderation/reporter-stat.entity';
import { SanctionEntity } from './identity/moderation/sanction.entity';
import { BanEntryEntity } from './identity/ban-list/ban-entry.entity';
import { SessionEntity } from './identity/sessions/session.entity';
import { BookmarkRecordEntity } from './identity/bookmarks/bookmark-record.entity';
import { ThreadFollowEntity } from './posts/thread-follow.entity';
import { ComplianceActionCountEntity } from './compliance/enforcement/compliance-action-count.entity';
import { OutboxEventEntity } from './infrastructure/events/outbox-event.entity';
import { StoreInfoEntity } from './infrastructure/database/store-info.entity';
import type { EntityList, StoreEntities } from './infrastructure/database/data-source-options';
import type { AppConfig } from './infrastructure/config/app-config';
import { dataSourceOptions } from './infrastructure/database/data-source-options';
import type { StoreName } from './infrastructure/database/stores';

/**
 * Which entity lives in which store. Listed here (rather than discovered) so that the
 * placement of every table is explicit and reviewed: a content entity must never gain a
 * column that points at an account. Start-up wiring, like app.module.ts: the database module
 * (infrastructure) is handed these lists and imports no feature.
 */
export const IDENTITY_ENTITIES: EntityList = [
  StoreInfoEntity,
  AccountEntity,
  StaffRoleEntity,
  SessionEntity,
  EmailCodeEntity,
  CompanyEntity,
  CompanyDomainEntity,
  CompanyRequestEntity,
  MembershipEntity,
  SanctionEntity,
  NotificationEntity,
  ReporterStatEntity,
  StaffScopeEntity,
  BanEntryEntity,
  BookmarkRecordEntity,
  AuditEventEntity,
  AuditHeadEntity,
];
export const CONTENT_ENTITIES: EntityList = [
  StoreInfoEntity,
  BoardEntity,
  ThreadEntity,
  CommentEntity,
  ThreadHandleEntity,
  OwnPostSlotEntity,
  ThreadFollowEntity,
  VoteEntity,
  PollEntity,
  PollOptionEntity,
  PollVoteEntity,
  JurisdictionEntity,
  JurisdictionGroupMemberEntity,
  RuleSetVersionEntity,
  RuleEntity,
  AuditEventEntity,
  AuditHeadEntity,
  ContentWithholdingEntity,
  ContentNoticeEntity,
  RetroactiveRunEntity,
  ReviewItemEntity,
  ReviewEventEntity,
  ReportEntity,
  ComplianceActionCountEntity,
  OutboxEventEntity,
];

/** Both stores' entity lists, as DatabaseModule.forRoot takes them. */
export const STORE_ENTITIES: StoreEntities = {
  identity: IDENTITY_ENTITIES,
  content: CONTENT_ENTITIES,
};

/** TypeORM options for one store of this application (for the CLI, tests and benchmarks). */
export const storeOptions = (config: AppConfig, store: StoreName) =>
  dataSourceOptions(config, store, STORE_ENTITIES);
