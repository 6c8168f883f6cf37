import type { Server } from 'node:http';

/** A stream of new arrivals does not hold the start of the shutdown up for longer than this. */
const SETTLE_LIMIT_MS = 1_000;

/**
 * Lets the HTTP server finish what it has been sent before the process stops.
 *
 * Closing a Node HTTP server resets connections the kernel has queued but the server has not
 * accepted yet, and drops accepted ones whose request it has not read yet: on a busy server,
 * requests sent before the signal. So `drain()` first lets the event loop take them in (it
 * accepts the queued connections in one turn and reads them on the next): it turns until a
 * turn brings no new connection or request. Then it stops listening and waits until every
 * request it has read is answered.
 *
 * Only then may the application close. Its GraphQL module stops Apollo Server, whose
 * HTTP-drain plugin (added by @nestjs/apollo, with a fixed 10 s limit that cannot be
 * configured) would cut every request still running after 10 s; once drained, it has nothing
 * left to cut, and the configured SHUTDOWN_GRACE_MS is the only limit.
 *
 * Hand-written because no library covers both halves for a Nest app: `http-terminator` and
 * `stoppable` close at once (the first half's race) and Nest's own `forceCloseConnections`
 * destroys connections instead of draining them.
 */
export class HttpDrain {
  private running = 0;
  private arrivals = 0;
  private idle: (() => void) | undefined;

  /** Counts requests from now on; call before the server listens. */
  constructor(private readonly server: Server) {
    server.on('connection', () => (this.arrivals += 1));
    server.on('request', (_req, res) => {
      this.arrivals += 1;
      this.running += 1;
      res.once('close', () => {
        this.running -= 1;
        if (this.running === 0) this.idle?.();
      });
    });
  }

  /** Requests read and not yet answered. */
  get inFlight(): number {
    return this.running;
  }

  /** Takes in what was sent, stops listening, and resolves when every request read is answered. */
  async drain(): Promise<void> {
    await this.settle();
    // Stops accepting, and closes keep-alive connections that carry no request. Connections
    // with a request in flight stay open until their answer is sent (with Connection: close).
    this.server.close();
    if (this.running === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private settle(): Promise<void> {
    const until = Date.now() + SETTLE_LIMIT_MS;
    return new Promise((resolve) => {
      let seen = -1;
      const turn = (): void => {
        if (this.arrivals !== seen && Date.now() < until) {
          seen = this.arrivals;
          setImmediate(turn);
        } else resolve();
      };
      setImmediate(turn);
    });
  }
}
