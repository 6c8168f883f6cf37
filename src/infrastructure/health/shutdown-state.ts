import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips to draining when shutdown starts, so /health/ready tells the load balancer to stop sending. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private isDraining = false;

  get draining(): boolean {
    return this.isDraining;
  }

  beforeApplicationShutdown(): void {
    this.isDraining = true;
  }
}
