import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const SQLITE_SYNCHRONOUS_MODES = ['NORMAL', 'FULL'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables whose value is a secret: never logged, never echoed in an error message. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'APP_SECRET',
  'APP_SECRET_PREVIOUS',
  'METRICS_TOKEN',
  'SMTP_URL',
  'REDIS_URL',
]);

const toInt = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
};
const toFloat = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  return /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
};
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return value;
};
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Raised when the environment is missing or malformed; names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The server's whole configuration, read once from the environment at start-up.
 * Property names are the environment variable names, so `config.PORT` is `$PORT`, typed.
 * Every variable is documented in README.md and docs/operations.md.
 */
export class AppConfig {
  @IsIn(NODE_ENVS)
  readonly NODE_ENV: NodeEnv = 'development';

  @Transform(trim)
  @IsString()
  @MinLength(1)
  readonly HOST: string = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  readonly PORT: number = 3000;

  @Transform(toBool)
  @IsBoolean()
  readonly PUBLIC_READ: boolean = false;

  @Transform(trim)
  @Matches(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$|^[A-Z]{2,8}$/, {
    message: 'must be a jurisdiction code such as US, DE, CN, US-CA or EU',
  })
  readonly DEFAULT_JURISDICTION: string = 'US';

  /**
   * Header a trusted proxy sets to the visitor's jurisdiction code (e.g. `CF-IPCountry`);
   * empty: visitors are judged by DEFAULT_JURISDICTION. Only set it behind a proxy that
   * overwrites the header, or visitors choose what they see.
   */
  @Transform(trim)
  @Matches(/^$|^[A-Za-z0-9-]{1,64}$/, { message: 'must be an HTTP header name or empty' })
  readonly TRUSTED_JURISDICTION_HEADER: string = '';

  /** How long a whole answer to a visitor's public read is reused, in ms; 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  readonly VISITOR_CACHE_MS: number = 1000;

  /**
   * How long the rows of a board's feed page (for one jurisdiction, order, cursor and size) are
   * shared by every reader, members included, in ms; 0 turns it off. Dropped on every content write.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  readonly FEED_PAGE_CACHE_MS: number = 1000;

  /**
   * How long a member's answer to a feed read (`board { threads }`, `home`) is reused for the
   * members of the same jurisdictions and employers who neither voted on nor wrote its threads,
   * in ms; 0 turns it off. Dropped on every content write.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  readonly MEMBER_CACHE_MS: number = 1000;

  @Transform(trim)
  @IsIn(LOG_LEVELS)
  readonly LOG_LEVEL: LogLevel = 'info';

  /**
   * Master secret (at least 32 bytes of entropy, e.g. `openssl rand -base64 48`). Every key
   * the server uses (email index, pepper, pseudonyms, sealing, tokens) is derived from it
   * with HKDF and a purpose label. Required in production; in development a random one is
   * generated once and kept in `DATA_DIR/.dev-secret`.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (e.g. `openssl rand -base64 48`)' })
  readonly APP_SECRET?: string;

  /** The secret being rotated out (docs/anonymity.md, "Rotating keys"). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  readonly APP_SECRET_PREVIOUS?: string;

  // --- storage -----------------------------------------------------------------------------
  @Transform(trim)
  @IsString()
  @MinLength(1)
  readonly DATA_DIR: string = './data';

  /**
   * SQLite's `synchronous` pragma (WAL mode). NORMAL: a crash of the process loses no
   * committed write; a power cut or an OS crash may undo the last commits before the next
   * checkpoint (the file stays consistent). FULL: every commit is on disk before it is
   * acknowledged, surviving a power cut too, at the cost of one fsync per commit.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsIn(SQLITE_SYNCHRONOUS_MODES)
  readonly SQLITE_SYNCHRONOUS: SqliteSynchronous = 'NORMAL';

  @IsOptional()
  @Transform(trim)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  readonly DATABASE_URL?: string;

  /** Optional: keep the identity store in another PostgreSQL database than the content store. */
  @IsOptional()
  @Transform(trim)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  readonly IDENTITY_DATABASE_URL?: string;

  @Transform(trim)
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  readonly DATABASE_IDENTITY_SCHEMA: string = 'identity';

  @Transform(trim)
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  readonly DATABASE_CONTENT_SCHEMA: string = 'content';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  readonly DATABASE_POOL_SIZE: number = 10;

  /**
   * How often opening a PostgreSQL store is tried again after a failed connection, and how
   * long to wait between tries; each failure is one JSON log line. Past them the server
   * refuses to start (exit 69), so an orchestrator restarts it instead of waiting here.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  readonly DATABASE_CONNECT_RETRIES: number = 2;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  readonly DATABASE_CONNECT_RETRY_MS: number = 500;

  /**
   * Time allowed for `PRAGMA quick_check` of each SQLite store at start-up (both run at once,
   * in worker threads). A check that has not finished by then is left to finish unobserved
   * and start-up goes on, with a logged notice; 0 skips the check.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly STORE_CHECK_BUDGET_MS: number = 2000;

  /**
   * Redis shared by every instance of a deployment (`redis://[:password@]host:6379[/db]`, or
   * `rediss://` for TLS): subscription events, rate-limit counters and cache invalidation go
   * through it. Unset: all of that stays in this process (one instance only).
   */
  @IsOptional()
  @Transform(trim)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  readonly REDIS_URL?: string;

  /** Put before every Redis key and channel, so deployments (or test runs) can share a Redis. */
  @Transform(trim)
  @Matches(/^[A-Za-z0-9_.:-]{0,64}$/, { message: 'must be up to 64 of A-Z a-z 0-9 _ . : -' })
  readonly REDIS_PREFIX: string = 'wf:';

  // --- HTTP and GraphQL hardening ----------------------------------------------------------
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  readonly MAX_BODY_BYTES: number = 512 * 1024;

  /** Express `trust proxy`: `false`, a hop count, or a comma-separated list of proxy addresses. */
  @Transform(trim)
  @Matches(/^(false|true|\d+|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, {
    message: 'must be false, true, a hop count or a list of proxy addresses',
  })
  readonly TRUST_PROXY: string = 'false';

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  readonly GRAPHQL_INTROSPECTION?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  readonly GRAPHQL_FIELD_SUGGESTIONS?: boolean;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  readonly GRAPHQL_MAX_DEPTH: number = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  readonly GRAPHQL_MAX_ALIASES: number = 15;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  readonly GRAPHQL_MAX_COST: number = 20_000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(100_000)
  readonly GRAPHQL_MAX_TOKENS: number = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  readonly GRAPHQL_MAX_DIRECTIVES: number = 50;

  /** General request budget per client address per window (sign-in, posting etc. have tighter ones). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly RATE_LIMIT_MAX: number = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  readonly RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Sign-up, sign-in and code requests per client address per minute (on top of the budgets per email address). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly AUTH_RATE_LIMIT_MAX: number = 30;

  /**
   * Posts per account per 10 minutes: createThread, createComment, editThread and editComment
   * share it (Discourse allows a post every 5 s, Reddit slows new accounts to a few per 10 min).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly POST_RATE_LIMIT_MAX: number = 30;

  /** Votes (including changing or withdrawing one) per account per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly VOTE_RATE_LIMIT_MAX: number = 60;

  /**
   * Searches per account (per client address for a visitor) per minute: a search reads the
   * full-text index and several pages of hits, far more than a feed page.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly SEARCH_RATE_LIMIT_MAX: number = 30;

  /** Reports and appeals per account per hour (Discourse: 20 flags a day). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly REPORT_RATE_LIMIT_MAX: number = 20;

  // --- identity ----------------------------------------------------------------------------
  /** SMTP server for outgoing mail, e.g. `smtp://user:pass@mail.example.com:587`. Required in production. */
  @IsOptional()
  @Transform(trim)
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  readonly SMTP_URL?: string;

  @Transform(trim)
  @IsString()
  @MinLength(3)
  readonly MAIL_FROM: string = 'Workplace Forum <no-reply@localhost>';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  readonly SESSION_TTL_DAYS: number = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  readonly EMAIL_CODE_TTL_MINUTES: number = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  readonly EMAIL_CODE_MAX_ATTEMPTS: number = 5;

  /** Codes one address may be sent per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly EMAIL_CODES_PER_ADDRESS_PER_HOUR: number = 5;

  /** Codes one client address may request per hour (any email). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly EMAIL_CODES_PER_IP_PER_HOUR: number = 30;

  /** Sign-in attempts per email address per 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly SIGN_INS_PER_ADDRESS: number = 10;

  /** Sign-in attempts per client address per 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly SIGN_INS_PER_IP: number = 60;

  /** argon2id memory in KiB (OWASP minimum 19456 = 19 MiB). */
  @Transform(toInt)
  @IsInt()
  @Min(19456)
  @Max(1048576)
  readonly ARGON2_MEMORY_KIB: number = 19456;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(20)
  readonly ARGON2_TIME_COST: number = 2;

  /**
   * Password hashes computed at once (default: one fewer than the cores, so a sign-in flood
   * leaves a core to the rest of the API); the rest wait in a bounded queue.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  readonly PASSWORD_HASH_CONCURRENCY: number = Math.max(1, availableParallelism() - 1);

  /** Hash requests allowed to wait; beyond this, RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  readonly PASSWORD_HASH_QUEUE: number = 16;

  /** While the server is busy, at least this many ms between hash starts (0: no pacing). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  readonly PASSWORD_HASH_BUSY_INTERVAL_MS: number = 250;

  /**
   * CPU niceness of the password-hashing process (0–19; 19 is the lowest priority), so that a
   * sign-in flood takes only the CPU request handling leaves over.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(19)
  readonly PASSWORD_HASH_NICENESS: number = 19;

  /**
   * Identity-store effects of moderation decisions (sanctions, notifications, reporters'
   * accuracy) are held until the end of a window of this many seconds and then written
   * together in random order (docs/anonymity.md, "Mixed delivery"). 0: not held.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  readonly IDENTITY_MIX_WINDOW_SECONDS: number = 300;

  /** A mixed batch waits until it holds at least this many decisions' effects… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  readonly IDENTITY_MIX_MIN_BATCH: number = 5;

  /** …or until its oldest has waited this many seconds past its window. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(604_800)
  readonly IDENTITY_MIX_MAX_WAIT_SECONDS: number = 3_600;

  /**
   * PostgreSQL: every this many seconds, the identity rows members write at once (accounts,
   * sessions, memberships, notifications read) of yesterday and today are rewritten in random
   * order in one transaction, so transaction ids and heap order tell no more than the day
   * (docs/anonymity.md, "PostgreSQL transaction ids"). 0: never.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  readonly IDENTITY_RESTAMP_SECONDS: number = 300;

  /** Event-loop utilisation (0–1) above which the server counts as busy for hash pacing. */
  @Transform(toFloat)
  @IsNumber()
  @Min(0)
  @Max(1)
  readonly PASSWORD_HASH_BUSY_ELU: number = 0.5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  readonly MEMBERSHIP_VALIDITY_DAYS: number = 365;

  /**
   * A member may change their jurisdiction once in this many days (0: at any time), so that
   * switching back and forth cannot be used to read what a jurisdiction withholds.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  readonly JURISDICTION_CHANGE_DAYS: number = 30;

  /**
   * A membership counts towards K_ANONYMITY_MIN and COMPANY_BOARD_MIN_MEMBERS only this many
   * days after it was first verified (from the UTC midnight after), so that addresses minted
   * in a hurry (an employer controls its mail domain) cannot reach a threshold at once.
   * Renewing keeps the count going; a membership moved to another account starts again.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  readonly MEMBERSHIP_COUNTS_AFTER_DAYS: number = 7;

  /**
   * How long the addresses of a banned account are kept on the ban list after the account
   * deletes itself (a suspended account's stay until its suspension ends).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  readonly BAN_LIST_DAYS: number = 365;

  /** Below this many current verified members, a COMPANY label is downgraded to INDUSTRY. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly K_ANONYMITY_MIN: number = 10;

  /**
   * A poll's counts stay hidden from everyone (even after it closes) while fewer than this many
   * people have voted, so a small poll does not tell who chose what (docs/discussions.md, "Polls").
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  readonly POLL_RESULTS_MIN_VOTERS: number = 5;

  /** Every this many seconds, polls whose closing time has passed are announced to their thread's author. 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  readonly POLL_CLOSE_SWEEP_SECONDS: number = 60;

  /** A company board opens when the company has this many current verified members. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  readonly COMPANY_BOARD_MIN_MEMBERS: number = 10;

  /**
   * Weighted report score at which reported content enters the moderators' queue (a new
   * reporter weighs 1, docs/moderation.md).
   */
  @Transform(toFloat)
  @IsNumber()
  @Min(0.5)
  @Max(1000)
  readonly REPORT_QUEUE_THRESHOLD: number = 3;

  /** Weighted report score at which reported content is hidden until a moderator decides. */
  @Transform(toFloat)
  @IsNumber()
  @Min(0.5)
  @Max(1000)
  readonly REPORT_HIDE_THRESHOLD: number = 6;

  /** How long claiming a review item reserves it for the moderator, in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  readonly REVIEW_CLAIM_MINUTES: number = 10;

  // --- compliance --------------------------------------------------------------------------
  /** Four-eyes rule: a rule-set draft must be published by another officer than its last editor. */
  @Transform(toBool)
  @IsBoolean()
  readonly COMPLIANCE_FOUR_EYES: boolean = true;

  // --- demo --------------------------------------------------------------------------------
  /**
   * Fill the stores with the demo world before serving (also `npm start -- --demo`); its
   * accounts have a published password, so production refuses it.
   */
  @Transform(toBool)
  @IsBoolean()
  readonly DEMO: boolean = false;

  // --- operations --------------------------------------------------------------------------
  /**
   * `/metrics` is served only when this is set, and then requires
   * `Authorization: Bearer <METRICS_TOKEN>`; unset, it answers 404 (closed by default).
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  readonly METRICS_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly SHUTDOWN_GRACE_MS: number = 10_000;

  /**
   * Event-loop delay, in ms, past which requests are answered 503 (OVERLOADED) instead of
   * queueing; 0 turns load shedding off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  readonly LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: number = 50;

  /**
   * Requests served at once at most while load shedding is on; past it, requests wait for a
   * slot in arrival order. 0: no bound (the event-loop delay alone decides).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  readonly LOAD_SHED_MAX_IN_FLIGHT: number = 32;

  /**
   * How long, in ms, a request may wait for one of the LOAD_SHED_MAX_IN_FLIGHT slots before it
   * is answered 503 (OVERLOADED); 0 refuses at once when no slot is free.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  readonly LOAD_SHED_MAX_QUEUE_MS: number = 50;

  /** The `Retry-After` of an answer refused for overload, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  readonly LOAD_SHED_RETRY_AFTER_SECONDS: number = 1;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get usesPostgres(): boolean {
    return this.DATABASE_URL !== undefined;
  }

  get introspectionEnabled(): boolean {
    return this.GRAPHQL_INTROSPECTION ?? !this.isProduction;
  }

  get fieldSuggestionsEnabled(): boolean {
    return this.GRAPHQL_FIELD_SUGGESTIONS ?? !this.isProduction;
  }

  /** The names of every variable the server reads. */
  static variables(): string[] {
    return Object.keys(new AppConfig()).concat(OPTIONAL_VARIABLES);
  }

  /**
   * Reads and validates the environment. Unknown variables are ignored; empty strings count as
   * unset. Throws a ConfigError naming each bad variable (never echoing a secret's value).
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const raw: Record<string, string> = {};
    for (const key of AppConfig.variables()) {
      const value = env[key];
      if (value !== undefined && value.trim() !== '') raw[key] = value;
    }
    const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
    const problems = validateSync(config, { forbidUnknownValues: true }).map((error) => {
      const all = error.constraints ?? {};
      // A value of the wrong kind gets one message ("must be an integer"), not every range check too.
      const kindOnly = Object.keys(all).filter((name) => KIND_CONSTRAINTS.has(name));
      const shownConstraints =
        kindOnly.length > 0 ? kindOnly.map((name) => all[name] ?? '') : Object.values(all);
      const constraints = shownConstraints.map((message) =>
        // class-validator prefixes messages with the property name; keep one form.
        message.startsWith(`${error.property} `)
          ? message.slice(error.property.length + 1)
          : message,
      );
      const shown = SECRET_VARIABLES.has(error.property)
        ? ''
        : ` (got "${String(raw[error.property])}")`;
      return `${error.property} ${constraints.join('; ')}${shown}`;
    });
    if (config.isProduction) {
      if (config.SMTP_URL === undefined) {
        problems.push('SMTP_URL is required in production (mail is only logged in development)');
      }
      if (config.APP_SECRET === undefined) {
        problems.push('APP_SECRET is required in production (no default keys in production)');
      } else if (new Set(config.APP_SECRET).size < 10) {
        problems.push('APP_SECRET looks like a placeholder, not a random secret');
      }
      if (config.DEMO) {
        problems.push('DEMO cannot be used in production (the demo accounts share one password)');
      }
    }
    // The demo world is verified all at once when it is seeded: count its members at once.
    if (config.DEMO && raw.MEMBERSHIP_COUNTS_AFTER_DAYS === undefined)
      Object.assign(config, { MEMBERSHIP_COUNTS_AFTER_DAYS: 0 });
    if (config.IDENTITY_DATABASE_URL !== undefined && config.DATABASE_URL === undefined) {
      problems.push('IDENTITY_DATABASE_URL needs DATABASE_URL to be set as well');
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
  }
}

const KIND_CONSTRAINTS = new Set(['isInt', 'isNumber', 'isBoolean', 'isString', 'isIn']);

/** Optional variables have no default value, so Object.keys(new AppConfig()) misses them. */
const OPTIONAL_VARIABLES = [
  'APP_SECRET',
  'DATABASE_URL',
  'IDENTITY_DATABASE_URL',
  'GRAPHQL_INTROSPECTION',
  'GRAPHQL_FIELD_SUGGESTIONS',
  'METRICS_TOKEN',
  'SMTP_URL',
  'APP_SECRET_PREVIOUS',
];
