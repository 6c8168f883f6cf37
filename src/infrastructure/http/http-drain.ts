import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** A stream of new arrivals does not hold the listener open for longer than this after the signal. */
const SETTLE_LIMIT_MS = 1_000;
/** How long a keep-alive connection must stay quiet (no request, no byte) before a drain closes it. */
const QUIET_MS = 200;

interface Connection {
  /** Requests read on this connection and not yet answered. */
  requests: number;
  /** `socket.bytesRead` when the last look found the connection quiet; undefined after activity. */
  quietAt: number | undefined;
}

/**
 * Lets the HTTP server finish what it has been sent before the process stops, and resets no
 * request it has accepted.
 *
 * On `drain()`:
 * - every answer not yet started, and every answer to a request read from now on, carries
 *   `Connection: close` (set on the response itself, before any middleware runs, so health,
 *   metrics, 404s, errors, Apollo's own answers and static files carry it too; a flag read by
 *   a middleware misses requests that passed it before the signal);
 * - the listener closes as soon as the event loop has taken in the connections and requests
 *   the kernel held when the signal came (closing at once would reset them): when a turn of
 *   the loop brings no new connection, at most SETTLE_LIMIT_MS after the signal;
 * - a connection is closed by the server only when it carries no request and has read no
 *   byte for QUIET_MS, checked once more after a poll phase of the event loop (which reads
 *   whatever the client wrote meanwhile): a client writing a request onto an idle keep-alive
 *   connection gets an answer with `Connection: close` instead of a reset. Connections whose
 *   answer says close are closed by Node once it is sent;
 * - it resolves when no HTTP connection is left (WebSocket connections excepted: they are the
 *   subscriptions', closed with 1001 when the application closes).
 *
 * Only then may the application close. Its GraphQL module stops Apollo Server, whose
 * HTTP-drain plugin (added by @nestjs/apollo, with a fixed 10 s limit that cannot be
 * configured) would cut every request still running after 10 s, and Node's `server.close()`
 * destroys idle connections at once; once drained, neither has anything left to cut, and the
 * configured SHUTDOWN_GRACE_MS is the only limit.
 *
 * Hand-written because no library does this for a Nest app: `http-terminator` and `stoppable`
 * close the listener at once (resetting queued connections) and close idle keep-alive
 * connections without looking for request bytes in flight (the reset race); Node's
 * `closeIdleConnections()` does the same, and Nest's `forceCloseConnections` destroys
 * connections instead of draining them.
 */
export class HttpDrain {
  private readonly connections = new Map<Socket, Connection>();
  private readonly answering = new Set<ServerResponse>();
  private draining = false;
  private sweeper: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;
  private arrivals = 0;

  /** Tracks connections and requests from now on; call before the server listens. */
  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.arrivals += 1;
      this.connections.set(socket, { requests: 0, quietAt: undefined });
      socket.once('close', () => {
        this.connections.delete(socket);
        this.settled();
      });
    });
    // A WebSocket connection belongs to the subscriptions from its upgrade on (closed with 1001
    // when the application closes); the subscription service always listens for upgrades.
    server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
      this.connections.delete(socket);
      this.settled();
    });
    // First of the request listeners, so no handler can answer before this has run.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const connection = this.connections.get(req.socket);
      if (connection !== undefined) connection.requests += 1;
      this.answering.add(res);
      if (this.draining) res.shouldKeepAlive = false;
      res.once('close', () => {
        this.answering.delete(res);
        if (connection !== undefined) {
          connection.requests -= 1;
          connection.quietAt = undefined;
        }
        this.settled();
      });
    });
  }

  /** Requests read and not yet answered. */
  get inFlight(): number {
    return this.answering.size;
  }

  /** Stops listening, answers what was sent, and resolves once every HTTP connection is closed. */
  async drain(): Promise<void> {
    this.draining = true;
    // Answers not started yet close their connections (Node writes `Connection: close`).
    for (const res of this.answering) if (!res.headersSent) res.shouldKeepAlive = false;
    await this.settle();
    // Stops accepting. Not `server.close()`: in Node 19+ it also destroys idle connections at
    // once, which resets a request a client is writing onto one of them at that moment.
    // (net.Server#close stops listening at once; its callback would wait for every connection.)
    NetServer.prototype.close.call(this.server);
    const done = new Promise<void>((resolve) => (this.drained = resolve));
    this.sweeper = setInterval(() => this.sweep(), QUIET_MS);
    this.settled();
    await done;
  }

  /**
   * Takes in the connections the kernel holds: the event loop turns until a turn brings no new
   * connection, at most SETTLE_LIMIT_MS. Closing the listener while connections arrive resets
   * them; their requests need not be read first (quiet connections are closed only later).
   */
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

  /** Closes the connections found quiet twice, QUIET_MS apart and across a poll phase. */
  private sweep(): void {
    const candidates: Array<[Socket, number]> = [];
    for (const [socket, connection] of this.connections) {
      if (connection.requests > 0) continue;
      const bytes = socket.bytesRead;
      if (connection.quietAt === bytes) candidates.push([socket, bytes]);
      else connection.quietAt = bytes;
    }
    this.settled();
    if (candidates.length === 0) return;
    // After the poll phase: bytes the client wrote before now have been read by then.
    setImmediate(() => {
      for (const [socket, bytes] of candidates) {
        const connection = this.connections.get(socket);
        if (connection?.requests === 0 && socket.bytesRead === bytes) {
          socket.destroy();
        }
      }
    });
  }

  private settled(): void {
    if (this.drained === undefined || this.answering.size > 0) return;
    if (this.connections.size > 0) return;
    clearInterval(this.sweeper);
    this.drained();
  }
}
