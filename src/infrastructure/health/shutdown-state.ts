import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips to draining when shutdown starts, so /health/ready tells the load balancer to stop sending. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private isDraining = false;
  private readonly stops: Array<() => void> = [];

  get draining(): boolean {
    return this.isDraining;
  }

  /** Runs `stop` once when shutdown starts (for samplers and timers outside Nest's modules). */
  onShutdown(stop: () => void): void {
    this.stops.push(stop);
  }

  beforeApplicationShutdown(): void {
    if (this.isDraining) return;
    this.isDraining = true;
    for (const stop of this.stops.splice(0)) stop();
  }
}
