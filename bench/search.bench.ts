/**
 * Search benchmark (docs/performance.md, "Search"): how long does `search` take on a SQLite
 * content store holding 1,000,000 threads of mixed English and Chinese text? Two-word queries
 * (target: p50 ≤ 20 ms), single words, quoted phrases and Chinese without spaces, each timed
 * through SearchService — the code the resolver calls (index query, access policy, counts,
 * snippets, the sealed cursor) — in the app as the server builds it, without HTTP.
 *
 *   npm run bench:search [-- --threads 1000000 --repeats 200]
 *   SEARCH_BENCH_THREADS=100000 npm run bench:search      (a quick run)
 *
 * The threads are written straight into the content store's file (one board, big
 * transactions), their index rows too, with the tokens the server would write: English words
 * are drawn from a 20,000-word vocabulary and Chinese phrases from 2,000 phrases of 120
 * words, both with Zipf-like frequencies (s = 1); a sample of the threads is tokenised again
 * with the server's own code and must give the same tokens.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { createApp } from '../src/app.setup';
import { indexText, searchTokens } from '../src/discussions/search/search-text';
import { SearchService } from '../src/discussions/search/search.service';
import { hotRank } from '../src/discussions/threads/hot-rank';
import { AppConfig } from '../src/infrastructure/config/app-config';
import { openStore } from '../src/infrastructure/database/store-bootstrap';
import { storeOptions } from '../src/store-entities';
import { clampedInt, percentile, runMain } from './bench-http';
import { mulberry32 } from './prng';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: process.env.SEARCH_BENCH_THREADS ?? '1000000' },
    repeats: { type: 'string', default: '200' },
  },
});
const THREADS = clampedInt(values.threads, 1_000, 2_000_000);
const REPEATS = clampedInt(values.repeats, 10, 5_000);
const PAGE = 20;
const YEAR_MS = 365 * 86_400_000;
/** Target for two-word queries (project issue): p50 at most this many ms. */
const TWO_WORD_P50_TARGET_MS = 20;

/** Real words at the top of the English ranks (the most frequent), then made-up ones. */
const COMMON = (
  'the a of to and in is for on that with we they my our it was this be are have not but ' +
  'anyone else heard about next week team manager salary review promotion layoffs offer ' +
  'remote office budget reorg director bonus raise interview hiring overtime culture meeting ' +
  'deadline project launch headcount stock options recruiter contract benefits leave union'
).split(' ');
const SYLLABLES =
  'ka ri to mu ne sa lo vi de pa mi ro tu ba ze no ha li fe go ru ta me si ko an el or un is'.split(
    ' ',
  );
const CHINESE_WORDS = (
  '公司 工资 待遇 加班 老板 年终奖 裁员 面试 同事 部门 经理 项目 绩效 福利 offer 跳槽 ' +
  '薪水 奖金 期权 股票 上班 下班 周末 假期 年假 病假 社保 公积金 合同 试用期 转正 ' +
  '离职 入职 培训 会议 汇报 领导 团队 招聘 简历 工作 时间 压力 环境 食堂 宿舍 通勤 ' +
  '地铁 办公室 远程 出差 报销 预算 季度 目标 考核 晋升 加薪 降薪 调岗 组织 架构 调整 ' +
  '消息 名单 传言 听说 真的 大家 我们 你们 他们 今年 去年 明年 上个月 下个月 现在 ' +
  '已经 还是 可能 应该 觉得 知道 问题 情况 结果 原因 办法 建议 经验 机会 行业 市场 ' +
  '客户 产品 技术 开发 测试 运营 销售 财务 人事 法务 北京 上海 深圳 杭州 广州 成都'
).split(' ');

/** Draws ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s. */
function zipf(n: number, random: () => number, s = 1): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Corpus {
  english: string[];
  phrases: Array<{ text: string; tokens: string }>;
  nextEnglish: () => number;
  nextPhrase: () => number;
}

function buildCorpus(random: () => number): Corpus {
  const english = [...COMMON];
  const seen = new Set(english);
  while (english.length < 20_000) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      english.push(word);
    }
  }
  const nextChinese = zipf(CHINESE_WORDS.length, random);
  const phrases: Corpus['phrases'] = [];
  const seenPhrases = new Set<string>();
  while (phrases.length < 2_000) {
    const words = 2 + Math.floor(random() * 3);
    let text = '';
    for (let i = 0; i < words; i++) text += CHINESE_WORDS[nextChinese()];
    if (seenPhrases.has(text)) continue;
    seenPhrases.add(text);
    // Punctuation ends a run of Han characters, so a thread's tokens are its phrases' tokens.
    phrases.push({ text, tokens: searchTokens(text).join(' ') });
  }
  return {
    english,
    phrases,
    nextEnglish: zipf(english.length, random),
    nextPhrase: zipf(phrases.length, random),
  };
}

interface Generated {
  title: string;
  body: string;
  tokens: string;
}

/** A thread: 70 % English (a tenth with a Chinese phrase), 30 % Chinese. */
function generate(corpus: Corpus, random: () => number): Generated {
  const englishWords = (min: number, max: number) => {
    const n = min + Math.floor(random() * random() * (max - min));
    return Array.from({ length: n }, () => corpus.english[corpus.nextEnglish()]);
  };
  const chinesePhrases = (min: number, max: number) => {
    const n = min + Math.floor(random() * random() * (max - min));
    return Array.from({ length: n }, () => corpus.phrases[corpus.nextPhrase()]);
  };
  if (random() < 0.7) {
    const title = englishWords(3, 12);
    const body = englishWords(12, 120);
    const mixed = random() < 0.1 ? corpus.phrases[corpus.nextPhrase()] : null;
    const titleText = title.join(' ');
    return {
      title: titleText.charAt(0).toUpperCase() + titleText.slice(1),
      body: `${body.join(' ')}.${mixed === null ? '' : ` ${mixed.text}。`}`,
      tokens: [...title, ...body, ...(mixed === null ? [] : [mixed.tokens])].join(' '),
    };
  }
  const title = chinesePhrases(1, 3);
  const body = chinesePhrases(3, 30);
  return {
    title: `${title.map((p) => p.text).join('，')}？`,
    body: `${body.map((p) => p.text).join('，')}。`,
    tokens: [...title, ...body].map((p) => p.tokens).join(' '),
  };
}

/** Threads and their index rows, straight into the file, 50,000 per transaction. */
function fill(file: string, corpus: Corpus, random: () => number, now: number): string {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    const boardId = randomUUID();
    db.prepare(
      `INSERT INTO boards (id, slug, name, kind, jurisdiction, company_id, created_at)
       VALUES (?, 'bench-search', 'Bench search', 'PUBLIC', 'US', NULL, ?)`,
    ).run(boardId, now - YEAR_MS - 86_400_000);
    const thread = db.prepare(
      `INSERT INTO threads (id, board_id, title, body, author_handle, author_label, author_token,
         sealed_ref, status, score, comment_count, hot_rank, created_at, edited_at, idempotency_key)
       VALUES (?, ?, ?, ?, 'Quiet Otter', 'a verified employee', ?, ?, 'PUBLISHED', ?, 0, ?, ?, NULL, NULL)`,
    );
    const indexed = db.prepare('INSERT INTO thread_search (thread_id, tokens) VALUES (?, ?)');
    let createdAt = now - YEAR_MS;
    const gap = YEAR_MS / THREADS;
    const batch = db.transaction((count: number) => {
      for (let i = 0; i < count; i++) {
        createdAt += Math.max(1, Math.round(-Math.log(1 - random()) * gap));
        const created = Math.min(createdAt, now);
        const { title, body, tokens } = generate(corpus, random);
        const id = randomUUID();
        const score = Math.floor(Math.exp(random() ** 4 * Math.log(500))) - 1;
        thread.run(
          id,
          boardId,
          title,
          body,
          randomBytes(32).toString('base64url'),
          `v1.${randomBytes(64).toString('base64url')}`,
          score,
          hotRank(score, new Date(created)),
          created,
        );
        indexed.run(id, tokens);
      }
    });
    for (let done = 0; done < THREADS; done += 50_000) batch(Math.min(50_000, THREADS - done));
    db.exec(`INSERT INTO thread_search_fts(thread_search_fts) VALUES ('optimize')`);
    db.pragma('journal_mode = WAL');
    return boardId;
  } finally {
    db.close();
  }
}

/** Threads of the file whose stored tokens differ from what the server's code makes of them. */
function mismatches(file: string, sample: number): number {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT t.title, t.body, s.tokens FROM thread_search s JOIN threads t ON t.id = s.thread_id
         WHERE s.doc_id % ? = 0 LIMIT ?`,
      )
      .all(Math.max(1, Math.floor(THREADS / sample)), sample) as Array<{
      title: string;
      body: string;
      tokens: string;
    }>;
    return rows.filter((r) => indexText(r.title, r.body) !== r.tokens).length;
  } finally {
    db.close();
  }
}

runMain(async () => {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'search-bench-'));
  say(
    `search bench: Node ${process.version}, ${THREADS.toLocaleString('en')} threads, ` +
      `${REPEATS} queries per kind, load average ${loadavg()[0].toFixed(2)}`,
  );
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET: 'bench-secret-' + 'f3'.repeat(16),
    PUBLIC_READ: 'true',
    LOG_LEVEL: 'warn',
  };
  Object.assign(process.env, env);
  const config = AppConfig.fromEnv(env);
  const file = join(dataDir, 'content.sqlite');
  let app: INestApplication | undefined;
  try {
    await (await openStore(storeOptions(config, 'content'))).destroy();
    const random = mulberry32(7);
    const corpus = buildCorpus(random);
    const started = performance.now();
    fill(file, corpus, random, Date.now());
    const fillSeconds = (performance.now() - started) / 1000;
    const bad = mismatches(file, 2_000);
    say(
      `filled in ${fillSeconds.toFixed(1)} s (${Math.round(THREADS / fillSeconds).toLocaleString('en')} threads/s, ` +
        `index included); content.sqlite ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB; ` +
        `tokens checked against the server's tokenizer: ${bad} of 2,000 differ`,
    );
    if (bad > 0) throw new Error('generated tokens differ from the server tokenizer');

    app = await createApp(config, [], { nestLogs: false });
    await app.init();
    const search = app.get(SearchService);
    const viewer = { principal: undefined, jurisdictions: [] as string[] };
    const word = (from: number, to: number) =>
      corpus.english[from + Math.floor(random() * (to - from))];
    const phraseOf = () => {
      for (;;) {
        const words = generate(corpus, random).tokens.split(' ');
        if (!/^[a-z]+$/.test(words[0] ?? '') || words.length < 6) continue;
        const at = Math.floor(random() * (words.length - 2));
        if (/^[a-z]+$/.test(words[at + 1])) return `"${words[at]} ${words[at + 1]}"`;
      }
    };
    const STOP_RANKS = 50;
    const rankOf = new Map(corpus.english.map((w, i) => [w, i]));
    /** Two words (not among the 50 most frequent) that occur together in a generated thread. */
    const together = () => {
      for (;;) {
        const words = generate(corpus, random)
          .tokens.split(' ')
          .filter((w) => (rankOf.get(w) ?? 0) >= STOP_RANKS);
        const a = words[Math.floor(random() * words.length)];
        const b = words[Math.floor(random() * words.length)];
        if (a !== undefined && b !== undefined && a !== b) return `${a} ${b}`;
      }
    };
    const kinds: Array<[string, () => string]> = [
      ['two words of one thread (ranks ≥ 50)', together],
      ['two words (uniform ranks 50–5,000)', () => `${word(50, 5_000)} ${word(50, 5_000)}`],
      ['two frequent words (ranks 10–100)', () => `${word(10, 100)} ${word(10, 100)}`],
      ['one word (ranks 50–5,000)', () => word(50, 5_000)],
      ['one frequent word (ranks 10–100)', () => word(10, 100)],
      ['phrase (two words as written)', phraseOf],
      [
        'Chinese, no spaces (a phrase)',
        () => corpus.phrases[Math.floor(random() * corpus.phrases.length)].text,
      ],
    ];
    const results: Array<{ kind: string; p50: number; p99: number; hits: number }> = [];
    for (const [kind, next] of kinds) {
      for (let i = 0; i < 20; i++) await search.search(next(), PAGE, null, null, viewer);
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < REPEATS; i++) {
        const query = next();
        const t0 = performance.now();
        const page = await search.search(query, PAGE, null, null, viewer);
        void page.items.at(-1)?.cursor;
        times.push(performance.now() - t0);
        hits += page.items.length;
      }
      times.sort((a, b) => a - b);
      say(`${kind}: p50 ${percentile(times, 50).toFixed(2)} ms`);
      results.push({
        kind,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        hits: hits / REPEATS,
      });
    }
    say('| query | p50 ms | p99 ms | hits per page |');
    say('| --- | ---: | ---: | ---: |');
    for (const r of results) {
      say(`| ${r.kind} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.hits.toFixed(1)} |`);
    }
    const twoWords = results[0];
    say(
      `two-word p50 ${twoWords.p50.toFixed(2)} ms: ${twoWords.p50 <= TWO_WORD_P50_TARGET_MS ? 'within' : 'OVER'} the ${TWO_WORD_P50_TARGET_MS} ms target`,
    );
  } finally {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
