import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root';
import { AppConfig, ConfigError } from './app-config';

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    AppConfig.fromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('AppConfig', () => {
  it('works with no environment at all, on the embedded defaults', () => {
    const sut = AppConfig.fromEnv({});
    expect(sut.NODE_ENV).toBe('development');
    expect(sut.PORT).toBe(3000);
    expect(sut.DATA_DIR).toBe('./data');
    expect(sut.usesPostgres).toBe(false);
    expect(sut.introspectionEnabled).toBe(true);
    expect(sut.APP_SECRET).toBeUndefined();
  });

  it('parses typed values', () => {
    const sut = AppConfig.fromEnv({
      PORT: '8080',
      PUBLIC_READ: 'true',
      GRAPHQL_INTROSPECTION: '0',
      LOG_LEVEL: 'warn',
    });
    expect(sut.PORT).toBe(8080);
    expect(sut.PUBLIC_READ).toBe(true);
    expect(sut.introspectionEnabled).toBe(false);
    expect(sut.LOG_LEVEL).toBe('warn');
  });

  it('takes SQLITE_SYNCHRONOUS as NORMAL (default) or FULL, and refuses anything else', () => {
    expect(AppConfig.fromEnv({}).SQLITE_SYNCHRONOUS).toBe('NORMAL');
    expect(AppConfig.fromEnv({ SQLITE_SYNCHRONOUS: ' full ' }).SQLITE_SYNCHRONOUS).toBe('FULL');
    expect(problemsOf({ SQLITE_SYNCHRONOUS: 'OFF' }).join('\n')).toMatch(/SQLITE_SYNCHRONOUS/);
  });

  it('counts memberships after a week, at once in the demo unless told otherwise', () => {
    expect(AppConfig.fromEnv({}).MEMBERSHIP_COUNTS_AFTER_DAYS).toBe(7);
    expect(AppConfig.fromEnv({ DEMO: 'true' }).MEMBERSHIP_COUNTS_AFTER_DAYS).toBe(0);
    expect(
      AppConfig.fromEnv({ DEMO: 'true', MEMBERSHIP_COUNTS_AFTER_DAYS: '3' })
        .MEMBERSHIP_COUNTS_AFTER_DAYS,
    ).toBe(3);
  });

  it('names each malformed variable once, with the value it got', () => {
    expect(
      [...problemsOf({ PORT: '80a', PUBLIC_READ: 'maybe', LOG_LEVEL: 'loud' })].sort(),
    ).toEqual([
      'LOG_LEVEL must be one of the following values: fatal, error, warn, info, debug, trace, silent (got "loud")',
      'PORT must be an integer number (got "80a")',
      'PUBLIC_READ must be a boolean value (got "maybe")',
    ]);
  });

  it('refuses an out-of-range number', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT must not be greater than 65535 (got "70000")',
    ]);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual([
      'DATABASE_URL must be a postgres:// URL (got "mysql://x")',
    ]);
  });

  it('refuses production without APP_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com' })).toEqual([
      'APP_SECRET is required in production (no default keys in production)',
    ]);
  });

  it('refuses a placeholder secret in production', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        SMTP_URL: 'smtp://mail.example.com',
        APP_SECRET: 'a'.repeat(40),
      }),
    ).toEqual(['APP_SECRET looks like a placeholder, not a random secret']);
  });

  it('refuses production without SMTP_URL (mail would only be logged)', () => {
    expect(
      problemsOf({ NODE_ENV: 'production', APP_SECRET: 'q8Vn3kLx0pR7tY2wZ5bC9dF1gH4jK6mN' }),
    ).toEqual(['SMTP_URL is required in production (mail is only logged in development)']);
  });

  it('never echoes a secret in its messages', () => {
    const problems = problemsOf({ APP_SECRET: 'short-but-secret' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^APP_SECRET must be at least 32 characters/);
    expect(problems.join()).not.toContain('short-but-secret');
  });

  it('turns introspection and suggestions off by default in production', () => {
    const sut = AppConfig.fromEnv({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.com',
      APP_SECRET: 'q8Vn3kLx0pR7tY2wZ5bC9dF1gH4jK6mN',
    });
    expect(sut.introspectionEnabled).toBe(false);
    expect(sut.fieldSuggestionsEnabled).toBe(false);
  });

  it('has every variable documented in the README configuration table', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` +\|/gm)].map((m) => m[1]));
    expect(AppConfig.variables().filter((name) => !documented.has(name))).toEqual([]);
  });
});
