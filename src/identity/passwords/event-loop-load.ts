import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Samples the event loop's utilisation every 250 ms; `busy()` is true above the threshold. */
export class EventLoopLoad {
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private utilisation = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly threshold: number) {
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.utilisation = performance.eventLoopUtilization(now, this.last).utilization;
      this.last = now;
    }, 250).unref();
  }

  busy(): boolean {
    return this.utilisation > this.threshold;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
