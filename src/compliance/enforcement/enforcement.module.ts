import { Module } from '@nestjs/common';
import { ComplianceCounters } from './compliance-counters';
import { ComplianceModule } from '../compliance.module';
import { ContentPolicy } from './content-policy.service';

/**
 * Compliance on the content side: judging posts, withholdings, notices, review requests (the
 * `review.requested` domain event), and the daily action counters of the transparency report
 * (exported with it, for retroactive runs).
 */
@Module({
  imports: [ComplianceModule],
  providers: [ContentPolicy, ComplianceCounters],
  exports: [ContentPolicy, ComplianceModule, ComplianceCounters],
})
export class EnforcementModule {}
