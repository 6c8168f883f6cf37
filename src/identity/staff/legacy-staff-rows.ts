import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { flushErasure } from '../../infrastructure/database/erasure';
import { storeTable } from '../../infrastructure/database/migrations/store-table';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import type { Role } from '../../infrastructure/auth/role';
import { StaffRecords } from './staff-records';

/**
 * Moves staff roles and moderator scopes written by earlier versions (by account id, in
 * `account_roles` and `moderator_scopes`) to the keyed tables, once, when the server starts:
 * only the server holds the key the holder tokens need. The old rows are deleted (and, on
 * SQLite, erased from the file). Several instances starting at once: one moves the rows,
 * the others find nothing left.
 */
@Injectable()
export class LegacyStaffRows implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegacyStaffRows.name);

  constructor(
    private readonly staff: StaffRecords,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const roles = this.table('account_roles');
    const scopes = this.table('moderator_scopes');
    let moved: number;
    try {
      moved = await this.identity.transaction(async (manager) => {
        const roleRows = await manager.query<
          Array<{ account_id: string; role: Role; granted_at: string | number }>
        >(`SELECT account_id, role, granted_at FROM ${roles}`);
        const scopeRows = await manager.query<Array<{ account_id: string; company_id: string }>>(
          `SELECT account_id, company_id FROM ${scopes}`,
        );
        for (const row of roleRows) {
          if (!(await this.staff.hasRole(manager, row.account_id, row.role))) {
            await this.staff.grant(
              manager,
              row.account_id,
              row.role,
              new Date(Number(row.granted_at)),
            );
          }
        }
        for (const row of scopeRows)
          await this.staff.setScope(manager, row.account_id, row.company_id);
        await this.clear(manager, roles, roleRows.length);
        await this.clear(manager, scopes, scopeRows.length);
        return roleRows.length + scopeRows.length;
      });
    } catch (error: unknown) {
      this.logger.warn({
        msg: 'Staff rows of an earlier version could not be moved; retried at the next start',
        err: error instanceof Error ? error.name : typeof error,
      });
      return;
    }
    if (moved > 0) {
      this.logger.log({ msg: 'Moved staff roles and scopes to keyed holders', rows: moved });
      await flushErasure(this.identity);
    }
  }

  private async clear(manager: EntityManager, table: string, rows: number): Promise<void> {
    if (rows > 0) await manager.query(`DELETE FROM ${table}`);
  }

  private table(name: string): string {
    return storeTable(this.identity, name);
  }
}
