import type { AppConfig } from './infrastructure/config/app-config';
import { DEMO_PASSWORD, DEMO_STAFF } from './demo/demo-world';

/** The demo staff accounts, one per line (printed in demo mode and by `npm run seed`). */
export function demoAccountsText(): string {
  const width = Math.max(...DEMO_STAFF.map((person) => person.email.length));
  return (
    DEMO_STAFF.map(
      (person) =>
        `  ${person.email.padEnd(width)}  ${person.roles.join(', ').padEnd(18)}  ${person.purpose}\n`,
    ).join('') +
    `  password for all: ${DEMO_PASSWORD}\n` +
    `  members: <name>@demo.example.org, same password (src/demo/demo-world.ts)\n`
  );
}

/**
 * Where to go once the server listens: the GraphQL endpoint, the staff console, and in demo
 * mode the accounts to sign in with. Written to standard error when that is a terminal or in
 * demo mode, so standard output stays one JSON log line per event.
 */
export function startBanner(config: AppConfig, port: number): string {
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return (
    `\n  GraphQL  ${base}/graphql\n  Console  ${base}/console/\n` +
    (config.DEMO ? `\n  Demo accounts:\n${demoAccountsText()}` : '') +
    '\n'
  );
}
