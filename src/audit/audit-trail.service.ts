import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import type { Principal } from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import { canonicalJson, chainHash, HEAD_ID } from './audit-chain';
import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';

/** Who did it, as the audit log shows it: a staff handle (or a fixed label) and the role acted in. */
export interface AuditActor {
  /** `PseudonymService.staffHandle(accountId)`, e.g. "Staff Quiet Heron 4821". */
  readonly handle: string;
  readonly role: Role;
}

/** The actor of what members do (appeals): the same for every member, so it links to nobody. */
export const MEMBER_ACTOR: AuditActor = { handle: 'A member', role: Role.MEMBER };
/** The actor of the operator's command line (`npm run cli -- grant-role`). */
export const OPERATOR_ACTOR: AuditActor = { handle: 'Operator CLI', role: Role.ADMIN };

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
 * change — on whichever store that is — so the entry commits or rolls back with it: there is
 * never a change without its entry nor an entry for a change that did not happen. The entry
 * is appended to that store's hash chain under a lock of the chain's head.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly pseudonyms: PseudonymService) {}

  /** The staff actor for a signed-in principal acting in `role`. */
  actor(principal: Principal, role: Role): AuditActor {
    return { handle: this.pseudonyms.staffHandle(principal.accountId), role };
  }

  async record(manager: EntityManager, entry: AuditEntryInput): Promise<AuditEventEntity> {
    if (!HANDLE.test(entry.actor.handle)) {
      // A staff handle is words and digits; anything else (an address, an id) must not get in.
      throw new Error('An audit actor must be a staff handle');
    }
    // Lock the head (a no-op UPDATE takes PostgreSQL's row lock; SQLite writes are serialised).
    await manager
      .createQueryBuilder()
      .update(AuditHeadEntity)
      .set({ seq: () => 'seq' })
      .where('id = :id', { id: HEAD_ID })
      .execute();
    const head = await manager.findOneByOrFail(AuditHeadEntity, { id: HEAD_ID });
    const at = new Date();
    const fields = {
      seq: head.seq + 1,
      at: at.getTime(),
      actorHandle: entry.actor.handle,
      actorRole: entry.actor.role,
      action: entry.action,
      subject: entry.subject,
      detail: canonicalJson(entry.detail),
    };
    const row: AuditEventEntity = {
      id: randomUUID(),
      ...fields,
      at,
      prevHash: head.hash,
      hash: chainHash(head.hash, fields),
    };
    await manager.insert(AuditEventEntity, row);
    await manager.update(AuditHeadEntity, { id: HEAD_ID }, { seq: row.seq, hash: row.hash });
    return row;
  }
}
