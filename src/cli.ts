import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { storeOptions } from './store-entities';
import { migrate } from './infrastructure/database/store-bootstrap';
import { STORES } from './infrastructure/database/stores';
import { pairingOptions, pairStoresOrExit } from './infrastructure/database/store-pairing';
import { createPino } from './infrastructure/logging/pino';
import { DataSource, In } from 'typeorm';
import { AuditTrail, OPERATOR_ACTOR } from './audit/audit-trail.service';
import { StaffRecords } from './identity/staff/staff-records';
import { PseudonymService } from './identity/pseudonyms/pseudonym.service';
import { AccountEntity } from './identity/accounts/account.entity';
import { parseEmail } from './identity/email/email-address';
import { EmailIndexService } from './identity/email/email-index.service';
import { GRANTABLE_ROLES, type Role } from './infrastructure/auth/role';
import { keyRingFor } from './infrastructure/crypto/key-ring';
import {
  formatTransparencyReport,
  isReportFormat,
  parseReportDate,
} from './transparency/transparency-report.format';
import { TransparencyReportService } from './transparency/transparency-report.service';
import { TransparencyException } from './transparency/transparency.exception';
import { rebuildThreadSearch } from './posts/thread-search.index';
import { flushErasure } from './infrastructure/database/erasure';
import { AuditEventsRepository } from './audit/audit-events.repository';
import { AuditLogService } from './audit/audit-log.service';
import { CursorCipher } from './infrastructure/crypto/cursor-cipher';

/**
 * Operator commands: `npm run cli -- <command> [options]`. Uses the same environment as the
 * server (README.md, Configuration).
 */
const COMMANDS: Record<
  string,
  {
    help: string;
    /** Resolves to the exit code when it is not 0. */
    run: (config: AppConfig, args: string[]) => Promise<number | void>;
  }
> = {
  migrate: {
    help: 'apply pending migrations to both stores',
    run: async (config) => {
      // The same checks as the server's start-up: a refused store is one JSON line and its
      // exit code (docs/operations.md, "When things go wrong").
      const applied = await pairStoresOrExit(
        config,
        pairingOptions(config),
        createPino(config),
        (store, { name, ms }) => process.stdout.write(`${store}: applied ${name} in ${ms} ms\n`),
      );
      for (const store of STORES) {
        if (applied[store].length === 0) process.stdout.write(`${store}: up to date\n`);
      }
    },
  },
  'grant-role': {
    help: 'grant-role --email <address> --role ADMIN|MODERATOR|COMPLIANCE_OFFICER: give an existing account a role (makes the first admin)',
    run: async (config, args) => {
      const { values } = parseArgs({
        args,
        options: { email: { type: 'string' }, role: { type: 'string' } },
        strict: true,
      });
      const role = values.role as Role | undefined;
      if (values.email === undefined || role === undefined || !GRANTABLE_ROLES.includes(role)) {
        throw new UsageError(
          'grant-role needs --email <address> and --role ADMIN|MODERATOR|COMPLIANCE_OFFICER',
        );
      }
      const email = parseEmail(values.email);
      const dataSource = new DataSource(storeOptions(config, 'identity'));
      await dataSource.initialize();
      try {
        await migrate(dataSource);
        const candidates = new EmailIndexService(keyRingFor(config)).candidates(email);
        const account = await dataSource
          .getRepository(AccountEntity)
          .findOneBy({ emailIndex: In(candidates) });
        if (account === null) {
          throw new UsageError(
            'No account uses that address. Sign up first (requestEmailCode, signUp), then grant the role.',
          );
        }
        const keys = keyRingFor(config);
        await dataSource.transaction(async (manager) => {
          const staff = new StaffRecords(keys, dataSource);
          if (await staff.hasRole(manager, account.id, role)) return;
          await staff.grant(manager, account.id, role, new Date());
          // The same audit entry an admin's grantRole writes, by the operator.
          const pseudonyms = new PseudonymService(keys);
          await new AuditTrail(pseudonyms).record(manager, {
            actor: OPERATOR_ACTOR,
            action: 'role.grant',
            subject: `staff:${pseudonyms.staffHandle(account.id)}`,
            detail: { role, before: false, after: true },
          });
        });
        process.stdout.write(`Granted ${role}.\n`);
      } finally {
        await dataSource.destroy();
      }
    },
  },
  'rebuild-search-index': {
    help: 'write the thread search index again from the threads, in one transaction (docs/discussions.md, "Search")',
    run: async (config, args) => {
      parseArgs({ args, options: {}, strict: true });
      const dataSource = new DataSource(storeOptions(config, 'content'));
      await dataSource.initialize();
      try {
        await migrate(dataSource);
        const count = await dataSource.transaction((manager) => rebuildThreadSearch(manager));
        // The replaced rows' text leaves the SQLite file and its WAL.
        await flushErasure(dataSource);
        process.stdout.write(`Indexed ${count} threads.\n`);
      } finally {
        await dataSource.destroy();
      }
    },
  },
  'verify-audit': {
    help: 'recompute both audit chains (docs/audit.md); exit 0 when intact, 65 when an entry was altered, removed or inserted',
    run: async (config, args) => {
      parseArgs({ args, options: {}, strict: true });
      const [identity, content] = await Promise.all(
        STORES.map(async (store) => {
          const dataSource = new DataSource(storeOptions(config, store));
          await dataSource.initialize();
          return dataSource;
        }),
      );
      try {
        await Promise.all([migrate(identity), migrate(content)]);
        const result = await new AuditLogService(
          new AuditEventsRepository(identity, content),
          new CursorCipher(keyRingFor(config)),
        ).verify();
        const heads = result.heads.map((head) => `${head.store} at ${head.seq}`).join(', ');
        if (result.ok) {
          process.stdout.write(`Audit chains intact: ${result.checked} entries (${heads}).\n`);
          return 0;
        }
        process.stdout.write(
          `Audit chain broken at entry ${result.firstBadEntryId ?? '(the end of a chain: entries removed)'} after ${result.checked} entries checked (${heads}).\n`,
        );
        return EXIT_DATA_ERROR;
      } finally {
        await Promise.all([identity.destroy(), content.destroy()]);
      }
    },
  },
  'transparency-report': {
    help: 'transparency-report --from <date> --to <date> [--format json|csv]: counts of compliance actions, decisions and reports over [from, to) in whole UTC days, to stdout (docs/transparency.md)',
    run: async (config, args) => {
      const { values } = parseArgs({
        args,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          format: { type: 'string', default: 'json' },
        },
        strict: true,
      });
      const from = parseReportDate(values.from);
      const to = parseReportDate(values.to);
      if (from === null || to === null || !isReportFormat(values.format)) {
        throw new UsageError(
          'transparency-report needs --from <date> and --to <date> (ISO 8601: 2026-11-01, or 2026-11-01T09:30:00Z with an offset) and takes --format json|csv (default json)',
        );
      }
      const dataSource = new DataSource(storeOptions(config, 'content'));
      await dataSource.initialize();
      try {
        await migrate(dataSource);
        const report = await new TransparencyReportService(dataSource)
          .report(from, to)
          .catch((error: unknown) => {
            throw error instanceof TransparencyException ? new UsageError(error.message) : error;
          });
        process.stdout.write(formatTransparencyReport(report, values.format));
      } finally {
        await dataSource.destroy();
      }
    },
  },
};

class UsageError extends Error {}

/** sysexits' EX_DATAERR: the data is wrong (a broken audit chain). */
const EXIT_DATA_ERROR = 65;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(24)} ${c.help}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      name === undefined || name === 'help' ? usage() : `Unknown command "${name}".\n\n${usage()}`,
    );
    return name === 'help' ? 0 : 64;
  }
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    throw error;
  }
  return (await command.run(config, rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError || error instanceof TypeError ? 64 : 1);
  },
);
