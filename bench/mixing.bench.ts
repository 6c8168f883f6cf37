/**
 * Mixed delivery benchmark (docs/anonymity.md, "Mixed delivery"; docs/performance.md): the
 * delay that holding moderation's identity-side effects for a mixed batch adds, and the size
 * of the batches, at several decision rates — with the server's own rules (`windowEnd`,
 * `mixedBatchHeld`) and the configured or given settings, over simulated time (decisions
 * arrive as a Poisson process, seeded, so every run gives the same figures).
 *
 *   npm run bench:mixing [-- --window 300 --min-batch 5 --max-wait 3600]
 */
import { parseArgs } from 'node:util';
import { windowEnd } from '../src/infrastructure/events/domain-events';
import { type MixingOptions, mixedBatchHeld } from '../src/infrastructure/events/outbox-dispatcher';
import { mulberry32 } from './prng';

const { values } = parseArgs({
  options: {
    window: { type: 'string', default: '300' },
    'min-batch': { type: 'string', default: '5' },
    'max-wait': { type: 'string', default: '3600' },
  },
});
const mixing: MixingOptions = {
  windowMs: Number(values.window) * 1000,
  minBatch: Number(values['min-batch']),
  maxWaitMs: Number(values['max-wait']) * 1000,
};
/** The dispatcher looks at least this often (DEFAULT_OUTBOX_OPTIONS.pollMs). */
const POLL_MS = 5_000;
const DECISIONS = 20_000;
const RATES_PER_HOUR = [1, 5, 20, 60, 300, 1200];

interface Result {
  rate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  batchP50: number;
  smallestBatch: number;
  belowMin: number;
}

function simulate(ratePerHour: number): Result {
  const random = mulberry32(ratePerHour * 7919);
  const meanGap = 3_600_000 / ratePerHour;
  const decided: number[] = [];
  let t = 0;
  for (let i = 0; i < DECISIONS; i += 1) {
    t += -Math.log(1 - random()) * meanGap;
    decided.push(t);
  }
  const due = decided.map((at) => windowEnd(at, mixing.windowMs).getTime());
  const delays: number[] = [];
  const batches: number[] = [];
  let next = 0; // first event not yet delivered
  let now = 0;
  while (next < decided.length) {
    // The dispatcher's next look: an event falling due, a held batch's deadline, or a poll.
    const pending: number[] = [];
    for (let i = next; i < decided.length && due[i] <= now; i += 1) pending.push(due[i]);
    const held = mixedBatchHeld(pending, now, mixing);
    if (held === false) {
      for (let i = 0; i < pending.length; i += 1) delays.push(now - decided[next + i]);
      batches.push(pending.length);
      next += pending.length;
      continue;
    }
    const upcoming = next + pending.length < due.length ? due[next + pending.length] : Infinity;
    now = Math.min(upcoming, held ?? Infinity, now + POLL_MS);
  }
  delays.sort((a, b) => a - b);
  batches.sort((a, b) => a - b);
  const at = (list: number[], q: number) =>
    list[Math.min(list.length - 1, Math.floor(q * list.length))];
  return {
    rate: ratePerHour,
    p50: at(delays, 0.5) / 1000,
    p90: at(delays, 0.9) / 1000,
    p99: at(delays, 0.99) / 1000,
    max: delays[delays.length - 1] / 1000,
    batchP50: at(batches, 0.5),
    smallestBatch: batches[0],
    belowMin: batches.filter((size) => size < mixing.minBatch).length / batches.length,
  };
}

const minutes = (seconds: number) => (seconds / 60).toFixed(1);
process.stdout.write(
  `Mixed delivery: window ${mixing.windowMs / 1000} s, min batch ${mixing.minBatch}, max wait ${mixing.maxWaitMs / 1000} s; ${DECISIONS} decisions per rate\n\n`,
);
process.stdout.write(
  '| decisions/hour | delay p50 (min) | p90 | p99 | max | batch size p50 | smallest | batches below min |\n',
);
process.stdout.write('| --- | --- | --- | --- | --- | --- | --- | --- |\n');
for (const rate of RATES_PER_HOUR) {
  const r = simulate(rate);
  process.stdout.write(
    `| ${r.rate} | ${minutes(r.p50)} | ${minutes(r.p90)} | ${minutes(r.p99)} | ${minutes(r.max)} | ${r.batchP50} | ${r.smallestBatch} | ${(100 * r.belowMin).toFixed(1)} % |\n`,
  );
}
