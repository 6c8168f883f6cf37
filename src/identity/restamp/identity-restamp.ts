import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { shuffled } from '../../common/shuffle';
import { floorToDay } from '../../common/time';
import { AppConfig } from '../../infrastructure/config/app-config';
import { escapedTablePath } from '../../infrastructure/database/table-path';
import { IDENTITY_STORE } from '../../infrastructure/database/stores';
import { AccountEntity } from '../accounts/account.entity';
import { BookmarkRecordEntity } from '../bookmarks/bookmark-record.entity';
import { MembershipEntity } from '../memberships/membership.entity';
import { NotificationEntity } from '../moderation/notification.entity';
import { SessionEntity } from '../sessions/session.entity';

const DAY_MS = 86_400_000;
/** Any number both instances agree on: only one of them re-stamps at a time. */
const ADVISORY_LOCK = 0x72657374; // 'rest'

/**
 * A table members write to at once (a sign-up, a sign-in, a verification, a read, a password
 * change, a jurisdiction change, leaving a company, a bookmark), and the columns whose coarse values say
 * which day a row was written or changed: a row is recent when one of them falls in the range.
 */
interface RecentRows {
  readonly entity: EntityTarget<ObjectLiteral>;
  readonly key: string;
  readonly days: readonly RecentDay[];
}

interface RecentDay {
  readonly column: string;
  /** The lowest value of the rows written yesterday or today. */
  readonly since: (today: number, config: AppConfig) => number;
  /** The highest such value, when the column also holds later ones (an expiry). */
  readonly until?: (today: number) => number;
}

const YESTERDAY = (today: number) => today - DAY_MS;

const TABLES: readonly RecentRows[] = [
  {
    entity: AccountEntity,
    key: 'id',
    days: [
      { column: 'created_at', since: YESTERDAY },
      // Changes of a row of an earlier day, written at once like a sign-up.
      { column: 'password_changed_at', since: YESTERDAY },
      { column: 'jurisdiction_changed_at', since: YESTERDAY },
    ],
  },
  {
    entity: MembershipEntity,
    key: 'id',
    days: [
      { column: 'verified_at', since: YESTERDAY },
      // A membership left (or run out) yesterday or today: its expiry is that day's midnight.
      { column: 'expires_at', since: YESTERDAY, until: (today) => today },
    ],
  },
  { entity: NotificationEntity, key: 'id', days: [{ column: 'read_at', since: YESTERDAY }] },
  {
    entity: BookmarkRecordEntity,
    key: 'account_id',
    days: [{ column: 'changed_on', since: YESTERDAY }],
  },
  {
    // A session keeps only its expiry, rounded up to the midnight after its lifetime: a
    // session opened yesterday expires at today's midnight plus the lifetime.
    entity: SessionEntity,
    key: 'token_hash',
    days: [
      {
        column: 'expires_at',
        since: (today, config) => today + config.SESSION_TTL_DAYS * DAY_MS,
      },
    ],
  },
];

/** The SQL condition (and its parameters) that selects a table's recent rows. */
function recent(table: RecentRows, today: number, config: AppConfig): [string, number[]] {
  const params: number[] = [];
  const terms = table.days.map(({ column, since, until }) => {
    params.push(since(today, config));
    const from = `${column} >= $${params.length}`;
    if (until === undefined) return from;
    params.push(until(today));
    return `(${from} AND ${column} <= $${params.length})`;
  });
  return [terms.join(' OR '), params];
}

export interface RestampResult {
  /** Rows re-stamped, per table. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * PostgreSQL only. Every row carries the id of the transaction that wrote it (`xmin`), counted
 * per cluster, and a new row lands after the rows written before it: a sign-in's session, a
 * sign-up's account, a verification's membership, a notification marked read, a password
 * change or a membership left sits, by both, right before the post its owner writes a moment
 * later (docs/anonymity.md, "PostgreSQL
 * transaction ids"). These writes cannot wait for a mixed batch, so they are re-stamped after
 * the fact: every `IDENTITY_RESTAMP_SECONDS`, each of these tables' rows of yesterday and
 * today are rewritten in one transaction, one row at a time in random order, then the table
 * is vacuumed. Afterwards the day's rows share one transaction id and lie in random order, so
 * neither tells more than the day the rows already show. A table with nothing new since its
 * last re-stamp is left alone.
 *
 * Written by hand: no library re-stamps rows; the statements are a few lines of SQL.
 */
@Injectable()
export class IdentityRestamp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityRestamp.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RestampResult> | null = null;
  /** Per table, the transaction id of this instance's last re-stamp. */
  private readonly stamped = new Map<string, string>();

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource(IDENTITY_STORE) private readonly identity: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.IDENTITY_RESTAMP_SECONDS;
    if (!this.onPostgres() || seconds === 0) return;
    this.timer = setInterval(() => {
      if (this.running === null) void this.run().catch(() => undefined);
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Re-stamps what is new now; a no-op on SQLite, whose tables keep no such order. */
  run(now = Date.now()): Promise<RestampResult> {
    if (!this.onPostgres()) return Promise.resolve({ rows: {} });
    const run = this.restampAll(floorToDay(new Date(now)).getTime()).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async restampAll(today: number): Promise<RestampResult> {
    const rows: Record<string, number> = {};
    for (const table of TABLES) {
      const path = escapedTablePath(this.identity, table.entity);
      try {
        const count = await this.restamp(path, table, recent(table, today, this.config));
        if (count > 0) {
          rows[path] = count;
          // Prunes the old row versions, which still carry their transaction ids.
          await this.identity.query(`VACUUM ${path}`);
        }
      } catch (error: unknown) {
        // Locks held by members' own writes win; the next run tries again.
        this.logger.warn({
          msg: 'Re-stamping recent identity rows failed; retried at the next run',
          table: path,
          err: error instanceof Error ? error.name : typeof error,
        });
      }
    }
    return { rows };
  }

  /** Rows re-stamped (0 when nothing was new or another instance holds the lock). */
  private async restamp(
    path: string,
    table: RecentRows,
    [where, params]: [string, number[]],
  ): Promise<number> {
    const { key } = table;
    const [state] = await this.identity.query<
      Array<{ stamps: string | number; stamp: string | null }>
    >(
      `SELECT COUNT(DISTINCT xmin::text) AS stamps, MIN(xmin::text) AS stamp FROM ${path} WHERE ${where}`,
      params,
    );
    const stamps = Number(state.stamps);
    if (stamps === 0 || (stamps === 1 && state.stamp === this.stamped.get(path))) return 0;
    return this.identity.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '2s'`);
      const [lock] = await manager.query<Array<{ held: boolean }>>(
        'SELECT pg_try_advisory_xact_lock($1) AS held',
        [ADVISORY_LOCK],
      );
      if (!lock.held) return 0;
      const keys = await manager.query<Array<{ k: string }>>(
        `SELECT ${key} AS k FROM ${path} WHERE ${where}`,
        params,
      );
      if (keys.length === 0) return 0;
      const column = table.days[0].column;
      for (const { k } of shuffled(keys)) {
        await manager.query(`UPDATE ${path} SET ${column} = ${column} WHERE ${key} = $1`, [k]);
      }
      const [own] = await manager.query<Array<{ x: string }>>(
        `SELECT xmin::text AS x FROM ${path} WHERE ${key} = $1`,
        [keys[0].k],
      );
      this.stamped.set(path, own.x);
      return keys.length;
    });
  }

  private onPostgres(): boolean {
    return this.identity.options.type === 'postgres';
  }
}
