import { Module } from '@nestjs/common';
import { ComplianceCounters } from './compliance-counters';

/**
 * The daily compliance action counters, on their own so that compliance enforcement (which
 * increments them) does not depend on the transparency report (which reads them).
 */
@Module({
  providers: [ComplianceCounters],
  exports: [ComplianceCounters],
})
export class ComplianceCountersModule {}
