import { Module } from '@nestjs/common';
import { PseudonymsModule } from '../identity/pseudonyms/pseudonyms.module';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditLogResolver } from './audit-log.resolver';
import { AuditLogService } from './audit-log.service';
import { AuditTrail } from './audit-trail.service';

/**
 * The audit log: entries written inside the transaction of the change they record, one hash
 * chain per store; `auditLog` and `verifyAuditLog` read both. Actors are named by staff
 * handle (PseudonymsModule).
 */
@Module({
  imports: [PseudonymsModule],
  providers: [AuditTrail, AuditEventsRepository, AuditLogService, AuditLogResolver],
  exports: [AuditTrail],
})
export class AuditModule {}
