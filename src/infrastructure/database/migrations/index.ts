import type { MigrationInterface } from 'typeorm';
import type { StoreName } from '../stores';
import { ContentStoreInfo1795737600000 } from './content/1795737600000-content-store-info';
import { ContentDiscussions1795737600001 } from './content/1795737600001-content-discussions';
import { ContentCompliance1795737600002 } from './content/1795737600002-content-compliance';
import { ContentEnforcement1795737600003 } from './content/1795737600003-content-enforcement';
import { ContentModeration1795737600004 } from './content/1795737600004-content-moderation';
import { ContentTransparency1795737600005 } from './content/1795737600005-content-transparency';
import { ContentAudit1795737600006 } from './content/1795737600006-content-audit';
import { ContentIndexes1795737600007 } from './content/1795737600007-content-indexes';
import { ContentOutbox1795737600008 } from './content/1795737600008-content-outbox';
import { ContentEraseDeletedText1795737600100 } from './content/1795737600100-content-erase-deleted-text';
import { ContentIdempotencyPerTarget1795737600300 } from './content/1795737600300-content-idempotency-per-target';
import { ContentThreadHandles1795737600301 } from './content/1795737600301-content-thread-handles';
import { ContentAuthorJurisdictionNotices1795737600302 } from './content/1795737600302-content-author-jurisdiction-notices';
import { ContentRuleMatchOptions1795737600303 } from './content/1795737600303-content-rule-match-options';
import { ContentOwnPostSlots1795737600304 } from './content/1795737600304-content-own-post-slots';
import { ContentPolls1795737600320 } from './content/1795737600320-content-polls';
import { ContentThreadFollows1795737600330 } from './content/1795737600330-content-thread-follows';
import { IdentityBookmarks1795737600240 } from './identity/1795737600240-identity-bookmarks';
import { ContentReviewSanctions1795737600340 } from './content/1795737600340-content-review-sanctions';
import { ContentRollbackDrafts1795737600356 } from './content/1795737600356-content-rollback-drafts';
import { ContentOutboxReadBeforeDelivery1795737600360 } from './content/1795737600360-content-outbox-read-before-delivery';
import { ContentThreadSearch1795737600310 } from './content/1795737600310-content-thread-search';
import { IdentityStoreInfo1795737600000 } from './identity/1795737600000-identity-store-info';
import { IdentityAccounts1795737600001 } from './identity/1795737600001-identity-accounts';
import { IdentityModeration1795737600002 } from './identity/1795737600002-identity-moderation';
import { IdentityAudit1795737600003 } from './identity/1795737600003-identity-audit';
import { IdentityJurisdictionChange1795737600004 } from './identity/1795737600004-identity-jurisdiction-change';
import { IdentityOrderlessTables1795737600005 } from './identity/1795737600005-identity-orderless-tables';
import { IdentityStaffHolders1795737600006 } from './identity/1795737600006-identity-staff-holders';
import { IdentityAccountDays1795737600007 } from './identity/1795737600007-identity-account-days';
import { IdentityMembershipDays1795737600008 } from './identity/1795737600008-identity-membership-days';
import { IdentityOrderlessMemberships1795737600009 } from './identity/1795737600009-identity-orderless-memberships';
import { IdentityOrderlessAccounts1795737600010 } from './identity/1795737600010-identity-orderless-accounts';
import { IdentitySessionTimes1795737600200 } from './identity/1795737600200-identity-session-times';
import { IdentityMembershipCounting1795737600201 } from './identity/1795737600201-identity-membership-counting';
import { IdentityBanList1795737600202 } from './identity/1795737600202-identity-ban-list';
import { IdentityPasswordChangeDay1795737600230 } from './identity/1795737600230-identity-password-change-day';

type MigrationClass = new () => MigrationInterface;

/**
 * Migrations per store, in order. Listed explicitly (not globbed) so the build output and the
 * test runner load exactly the same set. Landed migrations are never edited; add a new one.
 */
export const MIGRATIONS: Record<StoreName, MigrationClass[]> = {
  identity: [
    IdentityStoreInfo1795737600000,
    IdentityAccounts1795737600001,
    IdentityModeration1795737600002,
    IdentityAudit1795737600003,
    IdentityJurisdictionChange1795737600004,
    IdentityOrderlessTables1795737600005,
    IdentityStaffHolders1795737600006,
    IdentityAccountDays1795737600007,
    IdentityMembershipDays1795737600008,
    IdentityOrderlessMemberships1795737600009,
    IdentityOrderlessAccounts1795737600010,
    IdentitySessionTimes1795737600200,
    IdentityMembershipCounting1795737600201,
    IdentityBanList1795737600202,
    IdentityPasswordChangeDay1795737600230,
    IdentityBookmarks1795737600240,
  ],
  content: [
    ContentStoreInfo1795737600000,
    ContentDiscussions1795737600001,
    ContentCompliance1795737600002,
    ContentEnforcement1795737600003,
    ContentModeration1795737600004,
    ContentTransparency1795737600005,
    ContentAudit1795737600006,
    ContentIndexes1795737600007,
    ContentOutbox1795737600008,
    ContentEraseDeletedText1795737600100,
    ContentIdempotencyPerTarget1795737600300,
    ContentThreadHandles1795737600301,
    ContentAuthorJurisdictionNotices1795737600302,
    ContentRuleMatchOptions1795737600303,
    ContentOwnPostSlots1795737600304,
    ContentPolls1795737600320,
    ContentThreadFollows1795737600330,
    ContentThreadSearch1795737600310,
    ContentReviewSanctions1795737600340,
    ContentRollbackDrafts1795737600356,
    ContentOutboxReadBeforeDelivery1795737600360,
  ],
};
