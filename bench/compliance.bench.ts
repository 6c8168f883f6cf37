/**
 * Compliance benchmark (docs/performance.md, "Compliance: posting under 20,000 terms"): how
 * many `createThread` per second the server answers when every post is judged by active rule
 * sets holding 20,000 keyword terms across three jurisdictions (CN, DE, US), against the same
 * server with no rules, measured in one run.
 *
 *   npm run bench:compliance [-- --terms 20000 --seconds 7 --clients 8]
 *   (terms = keyword terms in all; seconds = rounds of one-second windows per server)
 *
 * Two servers (child processes, SQLite, each its own data folder) are set up through the
 * public API and the CLI only: an admin creates a company and a public US board, a member
 * signs up and verifies their employer (codes read from a real SMTP peer), and on the second
 * server a compliance officer publishes the rule sets. Then both are driven by CLIENTS
 * closed-loop keep-alive clients posting new threads, in alternating one-second windows.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Answer,
  cpuMs,
  drive,
  type GraphqlClient,
  median,
  stopChild,
  runMain,
  clampedInt,
} from './bench-http';
import { startBenchForum } from './bench-forum';
import { mulberry32 } from './prng';
import { SmtpPeer } from './smtp-peer';

const { values } = parseArgs({
  options: {
    terms: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '7' },
    clients: { type: 'string', default: '8' },
  },
});
const TERMS = clampedInt(values.terms, 3, 60_000);
const SECONDS = clampedInt(values.seconds, 1, 30);
const CLIENTS = clampedInt(values.clients, 1, 64);
/** createThread with the rules ÷ without (project issue 6). */
const TARGET = 0.8;
/** Terms per rule (the API takes up to 10,000). */
const TERMS_PER_RULE = 2_000;
const RUN_LIMIT_MS = 10 * 60_000;
const JURISDICTIONS = [
  { code: 'CN', action: 'HOLD', script: 'cjk' },
  { code: 'DE', action: 'BLOCK', script: 'latin' },
  { code: 'US', action: 'FLAG', script: 'latin' },
] as const;

const random = mulberry32(20261121);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A made-up Latin word (5–10 letters) or CJK term (2–4 characters of the common block). */
function term(script: 'cjk' | 'latin'): string {
  const length = script === 'cjk' ? 2 + Math.floor(random() * 3) : 5 + Math.floor(random() * 6);
  let text = '';
  for (let i = 0; i < length; i++) {
    text +=
      script === 'cjk'
        ? String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000))
        : pick([...LETTERS]);
  }
  return text;
}

const WORDS =
  'the team manager salary bonus review office remote layoffs hiring policy promotion equity meeting project deadline overtime budget culture benefits interview offer'.split(
    ' ',
  );
const CJK = '公司 工资 加班 裁员 年终奖 老板 团队 项目 面试 福利'.split(' ');
/** A post of about 600 characters in English with a little Chinese, new each time. */
function postBody(n: number): string {
  const parts: string[] = [];
  while (parts.join(' ').length < 600) parts.push(random() < 0.1 ? pick(CJK) : pick(WORDS));
  return `${parts.join(' ')} (${n})`;
}

/** One server, set up through the API: a board, a posting member, rules when asked. */
interface Server {
  name: string;
  label: string;
  pid: number | undefined;
  post: () => Promise<Answer>;
  /** Posts a rule withheld somewhere. */
  acted: { count: number };
  windows: number[];
  ok: number;
  failed: number;
  cpuMs: number | null;
  clients: GraphqlClient[];
}

async function setUp(
  name: string,
  label: string,
  dataDir: string,
  smtp: SmtpPeer,
  terms: number,
  children: Array<{ kill(): unknown; pid?: number }>,
): Promise<Server> {
  const forum = await startBenchForum(dataDir, smtp);
  children.push(forum.server);
  const { staff, clients } = forum;
  const server = forum.server;
  const board = { createBoard: { id: forum.boardId } };
  // The poster: a US member verified at Bench Corp.
  const member = await forum.member(`member.${name}`);

  // The rules: `terms` keyword terms shared out over the three jurisdictions. One CN term is
  // kept to put in every 50th post, so the run shows the rules acting (withheld in CN).
  let sample: string | null = null;
  for (const [index, { code: jurisdiction, action, script }] of JURISDICTIONS.entries()) {
    const count =
      Math.floor(terms / JURISDICTIONS.length) + (index < terms % JURISDICTIONS.length ? 1 : 0);
    if (count === 0) continue;
    const draft = await staff.data<{ createRuleSetDraft: { id: string } }>(
      'mutation ($j: String!) { createRuleSetDraft(jurisdiction: $j, copyActive: false) { id } }',
      { j: jurisdiction },
    );
    const id = draft.createRuleSetDraft.id;
    for (let from = 0, rule = 1; from < count; from += TERMS_PER_RULE, rule++) {
      const list = new Set<string>();
      while (list.size < Math.min(TERMS_PER_RULE, count - from)) list.add(term(script));
      if (script === 'cjk') sample ??= [...list][0];
      await staff.data(
        'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
        {
          id,
          input: {
            name: `${jurisdiction} terms ${rule}`,
            matcher: { kind: 'KEYWORDS', terms: [...list] },
            action,
            legalBasis: 'Benchmark',
            explanation: 'Benchmark rule.',
          },
        },
      );
    }
    await staff.data('mutation ($id: ID!) { publishRuleSet(ruleSetId: $id) { status } }', { id });
  }

  let n = 0;
  const acted = { count: 0 };
  const post = async () => {
    n += 1;
    const body = postBody(n) + (sample !== null && n % 50 === 0 ? ` ${sample}` : '');
    const answer = await member.post(
      'mutation ($b: ID!, $t: String!, $body: String!) { createThread(input: { boardId: $b, title: $t, body: $body }) { thread { id status } notices { action } } }',
      { b: board.createBoard.id, t: `Thread ${n} about ${pick(WORDS)}`, body },
    );
    if (answer.text.includes('"action":"WITHHOLD"')) acted.count += 1;
    return answer;
  };
  return {
    name,
    label,
    pid: server.pid,
    post,
    acted,
    windows: [],
    ok: 0,
    failed: 0,
    cpuMs: 0,
    clients,
  };
}

async function measureWindow(server: Server): Promise<void> {
  const before = cpuMs(server.pid);
  const result = await drive(1, CLIENTS, server.post);
  const after = cpuMs(server.pid);
  server.windows.push(result.perSecond);
  server.ok += result.ok;
  server.failed += result.failed;
  server.cpuMs =
    before === null || after === null || server.cpuMs === null
      ? null
      : server.cpuMs + after - before;
}

async function main(): Promise<void> {
  const folders = [
    mkdtempSync(join(tmpdir(), 'bench-rules-none-')),
    mkdtempSync(join(tmpdir(), 'bench-rules-')),
  ];
  const children: Array<{ kill(): unknown; pid?: number; exitCode?: number | null }> = [];
  const smtp = new SmtpPeer();
  const servers: Server[] = [];
  const cleanUp = async () => {
    for (const server of servers) for (const client of server.clients) client.close();
    await Promise.all(children.map((child) => stopChild(child as never)));
    await smtp.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    process.stderr.write('compliance bench: run limit reached, stopping\n');
    void cleanUp().finally(() => process.exit(2));
  }, RUN_LIMIT_MS);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`compliance bench: Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
  try {
    await smtp.start();
    const started = performance.now();
    servers.push(await setUp('none', 'no rules', folders[0], smtp, 0, children));
    servers.push(
      await setUp(
        'rules',
        `${TERMS.toLocaleString('en')} terms`,
        folders[1],
        smtp,
        TERMS,
        children,
      ),
    );
    say(
      `set up both servers through the API in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    for (const server of servers) await drive(2, CLIENTS, server.post);
    for (let round = 0; round < SECONDS; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) await measureWindow(server);
    }
    const failed = servers.reduce((sum, s) => sum + s.failed, 0);
    if (failed > 0) throw new Error(`${failed} createThread requests failed`);
    const [none, rules] = servers;
    if (rules.acted.count === 0) throw new Error('no post was withheld: the rules did not act');
    const ratio = median(rules.windows) / median(none.windows);
    const row = (s: Server) =>
      `| ${s.label.padEnd(14)} | ${String(Math.round(median(s.windows))).padStart(9)} | ${(s.cpuMs === null ? 'n/a' : (s.cpuMs / s.ok).toFixed(2)).padStart(20)} |`;
    say('');
    say('| active rules   | threads/s | server CPU ms/thread |');
    say('| -------------- | --------- | -------------------- |');
    servers.forEach((s) => say(row(s)));
    say(
      `createThread with ${TERMS.toLocaleString('en')} terms ÷ without: ${ratio.toFixed(2)}× ` +
        `(target ≥ ${TARGET}; ${CLIENTS} clients, median of ${SECONDS} one-second windows each): ${ratio >= TARGET ? 'PASS' : 'FAIL'}`,
    );
    say(
      JSON.stringify({
        node: process.version,
        terms: TERMS,
        clients: CLIENTS,
        windows: SECONDS,
        perSecond: {
          none: Math.round(median(none.windows)),
          rules: Math.round(median(rules.windows)),
        },
        serverCpuMs: {
          none: none.cpuMs === null ? null : Number((none.cpuMs / none.ok).toFixed(3)),
          rules: rules.cpuMs === null ? null : Number((rules.cpuMs / rules.ok).toFixed(3)),
        },
        ratio: Number(ratio.toFixed(3)),
        withheldPosts: { none: none.acted.count, rules: rules.acted.count },
        target: TARGET,
        pass: ratio >= TARGET,
      }),
    );
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

runMain(main);
