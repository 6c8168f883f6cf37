import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance.module';
import { ContentPolicy } from './content-policy.service';
import { ReviewRequests } from './review-requests';

/** Compliance on the content side: judging posts, withholdings, notices, review requests. */
@Module({
  imports: [ComplianceModule],
  providers: [ContentPolicy, ReviewRequests],
  exports: [ContentPolicy, ReviewRequests, ComplianceModule],
})
export class EnforcementModule {}
