/**
 * Identity benchmark (docs/performance.md): argon2id hash time, sign-ins per second under the
 * hashing cap, and the throughput of a cheap query while a sign-in flood runs, against the
 * same query on a quiet server — measured in one process, one run.
 *
 *   npm run bench:identity [-- --seconds 7 --rate auto|<attempts per second>]
 *   (seconds = number of quiet/flood window pairs; auto = twice the hashing capacity)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { storeOptions } from '../src/store-entities';
import { keyRingFor } from '../src/infrastructure/crypto/key-ring';
import { AccountEntity } from '../src/identity/accounts/account.entity';
import { parseEmail } from '../src/identity/email/email-address';
import { EmailIndexService } from '../src/identity/email/email-index.service';
import { PasswordHasher } from '../src/identity/passwords/password-hasher.service';
import { type KeyRing } from '../src/infrastructure/crypto/key-ring';
import { AppConfig } from '../src/infrastructure/config/app-config';
import { freePort, GraphqlClient, startServer, stopChild, runMain } from './bench-http';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '7' }, rate: { type: 'string', default: 'auto' } },
});
const SECONDS = Math.min(60, Math.max(1, Number(values.seconds)));
/**
 * Sign-in attempts per second in the flood. `auto`: twice what the hashing cap can serve
 * (concurrency / median hash time), so the hasher is oversubscribed and its queue overflows.
 */
const floodRate = (capacityPerSecond: number): number =>
  values.rate === 'auto'
    ? Math.ceil(2 * capacityPerSecond)
    : Math.min(2000, Math.max(1, Number(values.rate)));
const PASSWORD = 'correct horse battery staple';

interface LoadResult {
  seconds?: number;
  ok: number;
  limited: number;
  failed: number;
  perSecond: number;
}

/**
 * Fires `request` at a fixed rate (open loop, like an attacker who does not wait for answers),
 * at most 512 in flight, until `stop.done`. Bounded in time by the caller.
 */
async function flood(
  rate: number,
  request: () => Promise<'ok' | 'limited' | 'failed'>,
  stop: { done: boolean },
): Promise<LoadResult> {
  const counts = { ok: 0, limited: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;
  while (!stop.done) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < due && inFlight.size < 512) {
      sent += 1;
      const p: Promise<void> = request().then((outcome) => {
        if (!stop.done) counts[outcome] += 1; // answers after the window (queue drain) do not count
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(inFlight);
  return { ...counts, seconds, perSecond: (counts.ok + counts.failed) / seconds };
}

/** Runs `workers` loops of `request` for `seconds`, counting outcomes. Bounded in time. */
async function drive(
  seconds: number,
  workers: number,
  request: () => Promise<'ok' | 'limited' | 'failed'>,
  stop?: { done: boolean },
): Promise<LoadResult> {
  const until = Date.now() + seconds * 1000;
  const counts = { ok: 0, limited: 0, failed: 0 };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until && stop?.done !== true) counts[await request()] += 1;
    }),
  );
  return { ...counts, perSecond: counts.ok / seconds };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-bench-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    APP_SECRET: 'bench-secret-' + 'x9'.repeat(16),
    // Lift the per-address limits so the flood reaches the hashing cap, which is what is measured.
    RATE_LIMIT_MAX: '100000000',
    AUTH_RATE_LIMIT_MAX: '100000000',
    SIGN_INS_PER_IP: '100000000',
    SIGN_INS_PER_ADDRESS: '100000000',
    ...(process.env.BENCH_ELU === undefined
      ? {}
      : { PASSWORD_HASH_BUSY_ELU: process.env.BENCH_ELU }),
  };
  const config = AppConfig.fromEnv(env);
  // The server runs in its own process, as in production; this process only generates load.
  const port = await freePort();
  const server = await startServer({ ...env, PORT: String(port) });
  const client = new GraphqlClient(`http://127.0.0.1:${port}/graphql`);
  const post = async (query: string): Promise<'ok' | 'limited' | 'failed'> => {
    const code = /"code":"([A-Z_]+)"/.exec((await client.post(query)).text)?.[1];
    return code === undefined ? 'ok' : code === 'RATE_LIMITED' ? 'limited' : 'failed';
  };
  let hasher: PasswordHasher | undefined;

  try {
    // 1. argon2id hash time at the configured parameters (sequential, in this process).
    const keys: KeyRing = keyRingFor(config);
    hasher = new PasswordHasher(config, keys);
    const hashTimes: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = process.hrtime.bigint();
      await hasher.hash(PASSWORD);
      hashTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    hashTimes.sort((a, b) => a - b);
    const FLOOD_RATE = floodRate((config.PASSWORD_HASH_CONCURRENCY * 1000) / hashTimes[7]);

    // An account to sign in to, written straight into the server's identity store.
    const identity = new DataSource(storeOptions(config, 'identity'));
    await identity.initialize();
    await identity.getRepository(AccountEntity).insert({
      id: randomUUID(),
      emailIndex: new EmailIndexService(keys).index(parseEmail('bench@example.org')),
      passwordHash: await hasher.hash(PASSWORD),
      jurisdiction: 'US',
      sealId: randomUUID(),
      createdAt: new Date(),
    });
    await identity.destroy();
    const cheap = () => post('{ serverInfo { version publicRead } }');
    const signIn = () =>
      post(
        `mutation { signIn(email: "bench@example.org", password: "${PASSWORD}") { expiresAt } }`,
      );
    const wrongSignIn = () =>
      post(
        'mutation { signIn(email: "bench@example.org", password: "wrong password!!") { expiresAt } }',
      );

    // 2. The cheap query alone, then during a sign-in flood (FLOOD_RATE attempts/s, one in four
    //    with the right password), alternating in one-second windows so that drift in the
    //    machine's speed hits both sides alike.
    await drive(1, 8, cheap); // warm-up
    const quietWindows: number[] = [];
    const floodWindows: number[] = [];
    const signIns = { ok: 0, limited: 0, failed: 0, seconds: 0 };
    let n = 0;
    for (let round = 0; round < SECONDS; round++) {
      quietWindows.push((await drive(1, 8, cheap)).perSecond);
      const stop = { done: false };
      const flooding = flood(FLOOD_RATE, () => (++n % 4 === 0 ? signIn() : wrongSignIn()), stop);
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the hashing queue fill
      floodWindows.push((await drive(1, 8, cheap)).perSecond);
      stop.done = true;
      const counts = await flooding;
      signIns.ok += counts.ok;
      signIns.failed += counts.failed;
      signIns.limited += counts.limited;
      signIns.seconds += counts.seconds ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the queue drain
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const quiet = { perSecond: median(quietWindows) };
    const flooded = { perSecond: median(floodWindows) };

    const ratio = flooded.perSecond / quiet.perSecond;
    const result = {
      argon2: {
        memoryKiB: config.ARGON2_MEMORY_KIB,
        timeCost: config.ARGON2_TIME_COST,
        p50Ms: hashTimes[7],
        p90Ms: hashTimes[13],
      },
      cap: { concurrency: config.PASSWORD_HASH_CONCURRENCY, queue: config.PASSWORD_HASH_QUEUE },
      floodRate: FLOOD_RATE,
      signInsPerSecond: Number(((signIns.ok + signIns.failed) / signIns.seconds).toFixed(1)),
      signInsRateLimited: signIns.limited,
      cheapQueryPerSecond: {
        quiet: Math.round(quiet.perSecond),
        duringFlood: Math.round(flooded.perSecond),
      },
      ratio: Number(ratio.toFixed(3)),
      target: 0.8,
      pass: ratio >= 0.8,
    };
    process.stdout.write(
      [
        `argon2id (m=${config.ARGON2_MEMORY_KIB} KiB, t=${config.ARGON2_TIME_COST}, p=1): p50 ${hashTimes[7].toFixed(1)} ms, p90 ${hashTimes[13].toFixed(1)} ms per hash`,
        `hashing cap: ${config.PASSWORD_HASH_CONCURRENCY} at once, ${config.PASSWORD_HASH_QUEUE} waiting`,
        `sign-in flood (${FLOOD_RATE} attempts/s, ${SECONDS} windows of 1 s): ${result.signInsPerSecond} sign-ins/s verified, ${result.signInsRateLimited} refused at once with RATE_LIMITED`,
        `cheap query (median of ${SECONDS} windows): ${result.cheapQueryPerSecond.quiet} req/s quiet, ${result.cheapQueryPerSecond.duringFlood} req/s during the flood = ${result.ratio}× (target ≥ 0.8): ${result.pass ? 'PASS' : 'FAIL'}`,
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
  } finally {
    hasher?.onModuleDestroy();
    client.close();
    await stopChild(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runMain(main);
