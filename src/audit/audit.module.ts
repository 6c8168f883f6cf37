import { Module } from '@nestjs/common';
import { PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import { AuditLogResolver } from './audit-log.resolver';
import { AuditLogService } from './audit-log.service';
import { AuditTrail } from './audit-trail.service';

/**
 * The audit log: entries written inside the transaction of the change they record, one hash
 * chain per store; `auditLog` and `verifyAuditLog` read both. (PseudonymService is stateless
 * over the key ring: provided here too so that modules below identity can name their actors.)
 */
@Module({
  providers: [PseudonymService, AuditTrail, AuditLogService, AuditLogResolver],
  exports: [AuditTrail],
})
export class AuditModule {}
