import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../infrastructure/auth/role';
import { AuditEventEntity } from './audit-event.entity';

/** Who did it, as the audit log shows it: a staff handle and the role acted in. */
export interface AuditActor {
  /** `PseudonymService.staffHandle(accountId)`, e.g. "Staff Quiet Heron 4821". */
  readonly handle: string;
  readonly role: Role;
}

export interface AuditEntryInput {
  readonly actor: AuditActor;
  /** Dotted verb, e.g. `ruleSet.publish`, `rule.update`. */
  readonly action: string;
  /** `<kind>:<id>`, e.g. `ruleSet:<uuid>`, `rule:<uuid>`. */
  readonly subject: string;
  /** Public facts of the change; `before`/`after` where something changed. No personal data. */
  readonly detail: Readonly<Record<string, unknown>>;
}

const HANDLE = /^[\p{L}\p{N} ]{1,64}$/u;

/**
 * Writes audit entries (SPEC §6). `record` takes the manager of the transaction that makes the
 * change, so the entry commits or rolls back with it: there is never a change without its
 * entry nor an entry for a change that did not happen.
 */
@Injectable()
export class AuditTrail {
  async record(manager: EntityManager, entry: AuditEntryInput): Promise<AuditEventEntity> {
    if (!HANDLE.test(entry.actor.handle)) {
      // A staff handle is words and digits; anything else (an address, an id) must not get in.
      throw new Error('An audit actor must be a staff handle');
    }
    const row: AuditEventEntity = {
      id: randomUUID(),
      at: new Date(),
      actorHandle: entry.actor.handle,
      actorRole: entry.actor.role,
      action: entry.action,
      subject: entry.subject,
      detail: JSON.stringify(entry.detail),
    };
    await manager.insert(AuditEventEntity, row);
    return row;
  }
}
