import { withLazyCursor } from '../common/opaque-cursor';
import { AFTER_ARG, FIRST_ARG, pageInfoOf } from '../infrastructure/graphql/page-info.model';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../infrastructure/auth/auth.decorators';
import { Role } from '../infrastructure/auth/role';
import { AuditEntryConnection, AuditVerification } from './audit.model';
import { AuditLogService } from './audit-log.service';

/** The stored canonical JSON as an object; anything else (never written) as `{ text }`. */
function parseDetail(detail: string): Record<string, unknown> {
  try {
    const value = JSON.parse(detail) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Falls through.
  }
  return { text: detail };
}

@Resolver()
@Roles(Role.COMPLIANCE_OFFICER, Role.ADMIN)
export class AuditLogResolver {
  constructor(private readonly log: AuditLogService) {}

  @Query(() => AuditEntryConnection, {
    description:
      'Compliance officers and admins only. The audit log, newest first, `first` 1–100; `action`, `actorHandle`, `from` and `to` narrow it (all given ones apply).',
  })
  async auditLog(
    @Args('first', FIRST_ARG) first: number,
    @Args('after', AFTER_ARG) after?: string | null,
    @Args('action', {
      type: () => String,
      nullable: true,
      description: 'Only entries of this action (e.g. "ruleSet.publish").',
    })
    action?: string | null,
    @Args('actorHandle', {
      type: () => String,
      nullable: true,
      description: 'Only entries by this actor: a staff handle, "A member" or "Operator CLI".',
    })
    actorHandle?: string | null,
    @Args('from', {
      type: () => Date,
      nullable: true,
      description: 'Only entries at or after this time.',
    })
    from?: Date | null,
    @Args('to', {
      type: () => Date,
      nullable: true,
      description: 'Only entries before this time; BAD_USER_INPUT unless after `from`.',
    })
    to?: Date | null,
  ): Promise<AuditEntryConnection> {
    const page = await this.log.page(first, after, action, { actorHandle, from, to });
    return {
      edges: page.items.map((item) =>
        withLazyCursor(
          {
            node: {
              ...item.entry,
              actorRole: item.entry.actorRole as Role,
              log: item.store,
              details: parseDetail(item.entry.detail),
            },
          },
          () => item.cursor,
        ),
      ),
      pageInfo: pageInfoOf(page.items, page.hasNextPage, after),
    };
  }

  @Query(() => AuditVerification, {
    description:
      'Compliance officers and admins only. Recomputes both chains; names the first entry that was edited, inserted or removed.',
  })
  async verifyAuditLog(): Promise<AuditVerification> {
    const result = await this.log.verify();
    return {
      ...result,
      heads: result.heads.map((h) => ({ log: h.store, seq: h.seq, hash: h.hash })),
    };
  }
}
