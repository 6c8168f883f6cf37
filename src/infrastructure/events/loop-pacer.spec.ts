import { LoopPacer, type PacedLoop, type PaceOptions } from './loop-pacer';

const options: PaceOptions = { ofSpare: 0.5, minShare: 0.05, sliceMs: 10, maxWaitMs: 500 };

/**
 * A scripted loop: the test moves its clock by the work it pretends to do; every wait is
 * recorded and answered with the utilization the test set for it.
 */
function scriptedLoop() {
  const log = { turns: 0, waits: [] as number[] };
  let clock = 0;
  let busy = 0;
  const loop: PacedLoop = {
    now: () => clock,
    turn: () => {
      log.turns++;
      return Promise.resolve();
    },
    wait: (ms) => {
      log.waits.push(ms);
      clock += ms;
      return Promise.resolve(busy);
    },
  };
  return {
    loop,
    log,
    work: (ms: number) => {
      clock += ms;
    },
    setBusy: (utilization: number) => {
      busy = utilization;
    },
  };
}

describe('LoopPacer', () => {
  it('only yields a turn while the work since its last wait is shorter than a slice', async () => {
    const loop = scriptedLoop();
    const sut = new LoopPacer(options, loop.loop);
    loop.work(3);
    await sut.pause();
    loop.work(3);
    await sut.pause();

    expect(loop.log).toEqual({ turns: 2, waits: [] });
  });

  it('waits as long as it worked on an idle loop (half the loop), counting the short chunks before', async () => {
    const loop = scriptedLoop();
    const sut = new LoopPacer(options, loop.loop);
    loop.work(6);
    await sut.pause();
    loop.work(14);
    await sut.pause();

    expect(loop.log.waits).toEqual([20]);
  });

  it('takes half of what the rest of the process leaves, measured while it waited', async () => {
    const loop = scriptedLoop();
    const sut = new LoopPacer(options, loop.loop);
    loop.setBusy(0.8);
    loop.work(20);
    await sut.pause();
    expect(sut.currentShare).toBeCloseTo(0.1);

    loop.work(20);
    await sut.pause();
    // A tenth of the loop: 20 ms of work, then 180 ms of waiting.
    expect(loop.log.waits[1]).toBeCloseTo(180);
  });

  it('keeps a least share however busy the loop, and never waits longer than the cap', async () => {
    const loop = scriptedLoop();
    const sut = new LoopPacer(options, loop.loop);
    loop.setBusy(1);
    loop.work(10);
    await sut.pause();
    expect(sut.currentShare).toBe(0.05);

    loop.work(10);
    await sut.pause();
    expect(loop.log.waits[1]).toBeCloseTo(190);

    loop.work(100);
    await sut.pause();
    expect(loop.log.waits[2]).toBe(500);
  });

  it('gives the share back as the loop frees up', async () => {
    const loop = scriptedLoop();
    const sut = new LoopPacer(options, loop.loop);
    loop.setBusy(0.9);
    loop.work(10);
    await sut.pause();
    loop.setBusy(0);
    loop.work(10);
    await sut.pause();

    expect(sut.currentShare).toBe(0.5);
  });

  it('waits on the real event loop, and reads there how busy the rest of the process kept it', async () => {
    const sut = new LoopPacer({ ...options, sliceMs: 1, maxWaitMs: 50 });
    const spin = (ms: number) => {
      const start = performance.now();
      while (performance.now() - start < ms) {
        // Work that holds the loop.
      }
    };
    spin(20);
    // Other work that holds the loop while the pacer waits (its 20 ms: half of the loop).
    setTimeout(() => spin(15), 0);
    const start = performance.now();
    await sut.pause();

    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
    // The loop was busy for most of the wait: a busier machine only makes it busier.
    expect(sut.currentShare).toBeLessThan(0.25);
    expect(sut.currentShare).toBeGreaterThanOrEqual(options.minShare);
  });
});
