import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import pino from 'pino';
import { Registry } from 'prom-client';
import { loadShedding } from './load-shedding';

/** Enough of a response for the middleware: headers, end and the close event. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  destroyed = false;
  body: string | undefined;
  readonly headers: Record<string, string> = {};
  setHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }
  end(body?: string): void {
    this.body = body;
    this.emit('close');
  }
}

describe('loadShedding: request slots', () => {
  const registry = new Registry();
  const shedder = loadShedding({
    maxEventLoopDelayMs: 10_000,
    maxInFlight: 1,
    maxQueueMs: 60_000,
    retryAfterSeconds: 1,
    registry,
    logger: pino({ level: 'silent' }),
  });
  afterAll(() => shedder?.stop());
  const request = { url: '/graphql' } as Request;

  it('starts a waiting request in its own async context, not in that of the request that freed the slot', () => {
    const context = new AsyncLocalStorage<string>();
    const first = new FakeResponse();
    const second = new FakeResponse();
    const started: Array<string | undefined> = [];
    const next = (() => started.push(context.getStore())) as NextFunction;
    context.run('first', () => shedder!.middleware(request, first as unknown as Response, next));
    context.run('second', () => shedder!.middleware(request, second as unknown as Response, next));
    // One slot: the second waits until the first is answered, in the first's context.
    expect(started).toEqual(['first']);
    context.run('first', () => first.end('{}'));
    expect(started).toEqual(['first', 'second']);
    second.end('{}');
  });

  it('lets a waiting request whose client left go without taking a slot', () => {
    const running = new FakeResponse();
    const gone = new FakeResponse();
    const waiting = new FakeResponse();
    const started: FakeResponse[] = [];
    for (const res of [running, gone, waiting])
      shedder!.middleware(
        request,
        res as unknown as Response,
        (() => started.push(res)) as NextFunction,
      );
    gone.destroyed = true;
    running.end('{}');
    expect(started).toEqual([running, waiting]);
    expect(gone.body).toBeUndefined();
    waiting.end('{}');
  });
});
