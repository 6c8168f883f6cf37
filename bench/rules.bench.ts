/**
 * Rule-engine benchmark: `npm run bench:rules` (see docs/performance.md).
 *
 * 20,000 generated terms (half Chinese) in 10 jurisdictions' rule sets, plus the bad-words
 * PROFANITY list, a PII rule and two REGEX rules; a 1 KiB mixed English/Chinese post.
 * Prints compile time, memory of the compiled set, p50/p99 per evaluation and bad-words'
 * `isProfane` on the same 20,000 words in the same process.
 *
 * Then the evasion corpus (bench/rules-evasion): detection per category and false positives
 * of the engine and of its peers on the same terms, and each peer's time per 1 KiB post
 * with the same 20,000 terms. The last line is every figure as one JSON object.
 * `npm run bench:rules -- --misses` also lists the cases the engine gets wrong.
 */
import { Filter } from 'bad-words';
import os from 'node:os';
import { compile, evaluate, type CompiledRules } from '../src/compliance/rule-engine';
import { generatePost, generateTerms } from './rules-corpus';
import { innocentPost } from './rules-evasion/corpus';
import { PEERS } from './rules-evasion/peers';
import { formatScores, scoreSummary } from './rules-evasion/report';
import { ALL_TERMS } from './rules-evasion/rule-set';
import { engineFilter, scoreFilter, type TextFilter } from './rules-evasion/score';

const TERM_COUNT = 20_000;
const WARMUP = 2_000;
const ITERATIONS = 20_000;
const ROUNDS = 5;
const BAD_WORDS_MAX_ITERATIONS = 15;
const BAD_WORDS_MAX_MS = 3_000;
/** Peers are timed on the 1 KiB post for at most this many calls or milliseconds each. */
const PEER_MAX_ITERATIONS = 1_000;
const PEER_MAX_MS = 3_000;
/** The speed-up target is against the fastest peer that detects at least this share. */
const CAPABLE_PEER_DETECTION = 0.3;

const gc = (globalThis as { gc?: () => void }).gc;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e3; // µs
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Heap plus array buffers after full collections (buffers are released asynchronously). */
async function settledMemory(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

interface Timing {
  p50: number;
  p99: number;
  mean: number;
  /** Lowest and highest p50 of the rounds: how much the machine's noise moved it. */
  roundP50s: [number, number];
  hits: number;
}

const context = {
  governingJurisdictions: ['DE', 'EU'],
  boardKind: 'PUBLIC',
  field: 'body',
} as const;

/**
 * Warms both posts up (JIT, lazily filled tables), then times them in alternating rounds
 * so that a burst of load from other processes hits both alike.
 */
function timeEvaluations(compiled: CompiledRules, posts: readonly string[]): Timing[] {
  const warmUntil = now() + 1_500_000;
  for (let i = 0; i < WARMUP || now() < warmUntil; i++) {
    for (const post of posts) evaluate(compiled, post, context);
  }
  const samples = posts.map(() => [] as number[]);
  const roundP50s = posts.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    posts.forEach((post, p) => {
      const times = new Float64Array(ITERATIONS / ROUNDS);
      for (let i = 0; i < times.length; i++) {
        const start = now();
        evaluate(compiled, post, context);
        times[i] = now() - start;
      }
      const sorted = Array.from(times).sort((a, b) => a - b);
      roundP50s[p].push(percentile(sorted, 50));
      samples[p].push(...sorted);
    });
  }
  return posts.map((post, p) => {
    const sorted = samples[p].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
      roundP50s: [Math.min(...roundP50s[p]), Math.max(...roundP50s[p])],
      hits: evaluate(compiled, post, context).hits.length,
    };
  });
}

interface Sample {
  iterations: number;
  p50Us: number;
  /** Whether the text is flagged: some peers stop at their first match. */
  flagged: boolean;
}

/** Times a filter on one text (a few warm-up calls first), bounded in calls and time. */
function sampleFilter(filter: TextFilter, text: string): Sample {
  let flagged = false;
  for (let i = 0; i < 3; i++) flagged = filter.flags(text, []);
  const samples: number[] = [];
  const start = now();
  while (samples.length < PEER_MAX_ITERATIONS && (now() - start) / 1e3 < PEER_MAX_MS) {
    const t = now();
    filter.flags(text, []);
    samples.push(now() - t);
  }
  samples.sort((a, b) => a - b);
  return { iterations: samples.length, p50Us: percentile(samples, 50), flagged };
}

/** Rounds of the head-to-head comparison and calls per side in each. */
const DUEL_ROUNDS = 8;
const DUEL_ENGINE_CALLS = 2_000;
const DUEL_PEER_CALLS = 400;

interface Duel {
  engineUs: number;
  peerUs: number;
}

/**
 * The engine and one peer on the same text in alternating rounds, each side's lowest round
 * p50: both see the same moments of a busy machine, so the ratio holds where either figure
 * alone moves with the load.
 */
function duel(engine: TextFilter, peer: TextFilter, text: string): Duel {
  const roundP50 = (filter: TextFilter, calls: number): number => {
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = now();
      filter.flags(text, []);
      samples.push(now() - t);
    }
    samples.sort((a, b) => a - b);
    return percentile(samples, 50);
  };
  let engineUs = Infinity;
  let peerUs = Infinity;
  for (let round = 0; round < DUEL_ROUNDS; round++) {
    engineUs = Math.min(engineUs, roundP50(engine, DUEL_ENGINE_CALLS));
    peerUs = Math.min(peerUs, roundP50(peer, DUEL_PEER_CALLS));
  }
  return { engineUs, peerUs };
}

interface PeerTiming {
  name: string;
  buildMs: number;
  post: Sample;
  clean: Sample;
}

/** Builds a peer with the 20,000 terms and times it on the generated and the clean post. */
function timePeer(make: () => TextFilter, post: string, cleanPost: string): PeerTiming {
  const buildStart = now();
  const filter = make();
  const buildMs = (now() - buildStart) / 1e3;
  return {
    name: filter.name,
    buildMs,
    post: sampleFilter(filter, post),
    clean: sampleFilter(filter, cleanPost),
  };
}

async function main(): Promise<void> {
  const corpus = generateTerms(TERM_COUNT);
  const allTerms = [...corpus.chineseTerms, ...corpus.latinTerms];
  const post = generatePost(corpus, 1024);
  const post4k = generatePost(corpus, 4096, 11);

  // Compile: the first run also fills the lazily built character tables (OpenCC folding).
  let start = now();
  compile(corpus.ruleSets);
  const compileColdMs = (now() - start) / 1e3;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    start = now();
    compile(corpus.ruleSets);
    warm.push((now() - start) / 1e3);
  }
  warm.sort((a, b) => a - b);
  const compileWarmMs = warm[2];

  const before = await settledMemory();
  const compiled = compile(corpus.ruleSets);
  const compiledBytes = (await settledMemory()) - before;
  const automatonBytes = compiled.automatonBytes();

  const [result1k, result4k] = timeEvaluations(compiled, [post, post4k]);

  // bad-words on the same 20,000 words, same post (bounded: it takes ~30 ms per call).
  const filter = new Filter({ emptyList: true });
  filter.addWords(...allTerms);
  const badSamples: number[] = [];
  let profane = false;
  const badStart = now();
  while (
    badSamples.length < BAD_WORDS_MAX_ITERATIONS &&
    (now() - badStart) / 1e3 < BAD_WORDS_MAX_MS
  ) {
    const t = now();
    profane = filter.isProfane(post);
    badSamples.push(now() - t);
  }
  badSamples.sort((a, b) => a - b);
  const badP50 = percentile(badSamples, 50);

  const scores = [engineFilter(), ...PEERS.map((create) => create(ALL_TERMS))].map(scoreFilter);
  const cleanPost = innocentPost(1024);
  const engine: TextFilter = {
    name: 'rule engine',
    flags: (text) => evaluate(compiled, text, context).hits.length > 0,
  };
  const engineClean = sampleFilter(engine, cleanPost);
  const peerTimings = PEERS.map((create) => timePeer(() => create(allTerms), post, cleanPost));
  const detectionOf = (name: string) => scores.find((s) => s.filter === name)?.detection.rate ?? 0;
  const fastestCapable = peerTimings
    .filter((t) => detectionOf(t.name) >= CAPABLE_PEER_DETECTION)
    .sort((a, b) => a.clean.p50Us - b.clean.p50Us)[0];
  const capableIndex = peerTimings.indexOf(fastestCapable);
  const headToHead =
    capableIndex < 0 ? undefined : duel(engine, PEERS[capableIndex](allTerms), cleanPost);

  const stats = compiled.stats;
  const utf8 = new TextEncoder();
  const rows: [string, string, string][] = [
    ['terms (KEYWORDS, half Chinese)', TERM_COUNT.toLocaleString('en'), ''],
    ['patterns / automaton states', `${stats.patterns} / ${stats.automatonStates}`, ''],
    ['rules (incl. PROFANITY, PII, 2 REGEX)', String(stats.rules), ''],
    ['compile, cold (incl. char tables)', `${compileColdMs.toFixed(0)} ms`, 'target ≤ 1000 ms'],
    ['compile, warm (median of 5)', `${compileWarmMs.toFixed(0)} ms`, 'target ≤ 1000 ms'],
    [
      'memory of compiled set (heap+buffers)',
      `${(compiledBytes / 1048576).toFixed(1)} MiB`,
      `automaton arrays ${(automatonBytes / 1048576).toFixed(1)} MiB`,
    ],
    [
      `evaluate 1 KiB post (${post.length} chars) p50`,
      `${result1k.p50.toFixed(1)} µs`,
      'target ≤ 50 µs',
    ],
    [
      'evaluate 1 KiB post p99',
      `${result1k.p99.toFixed(1)} µs`,
      `mean ${result1k.mean.toFixed(1)} µs, ${result1k.hits} hits`,
    ],
    [
      'p50 of each of 5 rounds, min – max',
      `${result1k.roundP50s[0].toFixed(1)} – ${result1k.roundP50s[1].toFixed(1)} µs`,
      'spread = noise from other processes',
    ],
    [
      `evaluate 4 KiB post (${post4k.length} chars) p50 / p99`,
      `${result4k.p50.toFixed(1)} / ${result4k.p99.toFixed(1)} µs`,
      `${result4k.hits} hits`,
    ],
    [
      `bad-words isProfane, same list, p50 (n=${badSamples.length})`,
      `${(badP50 / 1e3).toFixed(1)} ms`,
      `profane=${profane}`,
    ],
    [
      'speed-up vs bad-words (p50)',
      `${Math.round(badP50 / result1k.p50).toLocaleString('en')}×`,
      'target ≥ 500×',
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  console.log(
    `Rule engine benchmark — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
  );
  console.log(`post: ${utf8.encode(post).length} bytes UTF-8, ${post.length} UTF-16 units`);
  for (const [name, value, note] of rows) {
    console.log(`${name.padEnd(width)}  ${value.padStart(valueWidth)}  ${note}`);
  }
  console.log('');
  console.log(
    `Peers with the same 20,000 terms (and their own lists): p50 on the 1 KiB post above, and on ` +
      `a clean 1 KiB post (${cleanPost.length} chars; engine ${formatMicros(engineClean.p50Us)}, ` +
      `${engineClean.flagged ? 'flagged' : 'not flagged'})`,
  );
  const peerWidth = Math.max(...peerTimings.map((t) => t.name.length));
  for (const t of peerTimings) {
    console.log(
      `${t.name.padEnd(peerWidth)}  ` +
        `post ${formatMicros(t.post.p50Us).padStart(9)} (${t.post.flagged ? 'flagged' : 'not flagged'}, ` +
        `engine ${formatRatio(t.post.p50Us / result1k.p50)} faster)  ` +
        `clean ${formatMicros(t.clean.p50Us).padStart(9)} (${t.clean.flagged ? 'flagged' : 'not flagged'}, ` +
        `engine ${formatRatio(t.clean.p50Us / engineClean.p50Us)} faster)  ` +
        `n=${t.post.iterations}/${t.clean.iterations}, build ${t.buildMs.toFixed(0)} ms, ` +
        `detects ${(detectionOf(t.name) * 100).toFixed(1)}% of the evasion corpus`,
    );
  }
  console.log(
    fastestCapable === undefined
      ? `no peer detects ≥ ${CAPABLE_PEER_DETECTION * 100}% of the evasion corpus`
      : `fastest peer detecting ≥ ${CAPABLE_PEER_DETECTION * 100}% (clean post): ` +
          `${fastestCapable.name}, engine ` +
          `${formatRatio(fastestCapable.clean.p50Us / engineClean.p50Us)} faster`,
  );
  if (headToHead !== undefined) {
    console.log(
      `head to head on the clean post, ${DUEL_ROUNDS} alternating rounds (lowest round p50): ` +
        `engine ${formatMicros(headToHead.engineUs)}, ${fastestCapable.name} ` +
        `${formatMicros(headToHead.peerUs)}: engine ` +
        `${formatRatio(headToHead.peerUs / headToHead.engineUs)} faster (target ≥ 5×)`,
    );
  }
  console.log('');
  for (const line of formatScores(scores)) console.log(line);
  if (process.argv.includes('--misses')) {
    const [engine] = scores;
    console.log(`\nEvasion cases the engine misses (${engine.missed.length}):`);
    for (const line of engine.missed) console.log(`  ${line}`);
    console.log(`Innocent texts the engine flags (${engine.wronglyFlagged.length}):`);
    for (const line of engine.wronglyFlagged) console.log(`  ${line}`);
  }
  console.log(
    JSON.stringify({
      bench: 'rules',
      node: process.version,
      cpus: os.cpus().length,
      terms: TERM_COUNT,
      patterns: stats.patterns,
      states: stats.automatonStates,
      compileColdMs: round(compileColdMs),
      compileWarmMs: round(compileWarmMs),
      compiledBytes,
      automatonBytes,
      post1k: {
        chars: post.length,
        roundP50sUs: result1k.roundP50s.map(round),
        p50Us: round(result1k.p50),
        p99Us: round(result1k.p99),
        meanUs: round(result1k.mean),
        hits: result1k.hits,
      },
      post4k: {
        chars: post4k.length,
        p50Us: round(result4k.p50),
        p99Us: round(result4k.p99),
        hits: result4k.hits,
      },
      badWords: { iterations: badSamples.length, p50Ms: round(badP50 / 1e3), profane },
      speedup: Math.round(badP50 / result1k.p50),
      cleanPost1k: { chars: cleanPost.length, ...roundSample(engineClean) },
      peers: peerTimings.map((t) => ({
        name: t.name,
        buildMs: round(t.buildMs),
        post1k: { ...roundSample(t.post), engineSpeedup: round(t.post.p50Us / result1k.p50) },
        cleanPost1k: {
          ...roundSample(t.clean),
          engineSpeedup: round(t.clean.p50Us / engineClean.p50Us),
        },
      })),
      fastestCapablePeer: fastestCapable?.name ?? null,
      headToHead:
        headToHead === undefined
          ? null
          : {
              engineUs: round(headToHead.engineUs),
              peerUs: round(headToHead.peerUs),
              speedup: round(headToHead.peerUs / headToHead.engineUs),
            },
      evasion: Object.fromEntries(scores.map((score) => [score.filter, scoreSummary(score)])),
      gcExposed: gc !== undefined,
    }),
  );
}

function roundSample(sample: Sample): Sample {
  return { ...sample, p50Us: round(sample.p50Us) };
}

function formatRatio(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio).toLocaleString('en')}×`;
}

function formatMicros(us: number): string {
  return us >= 1_000 ? `${(us / 1e3).toFixed(1)} ms` : `${us.toFixed(1)} µs`;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

void main();
