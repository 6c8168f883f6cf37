import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail.service';

/** The audit log: entries written inside the transaction of the change they record. */
@Module({
  providers: [AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
