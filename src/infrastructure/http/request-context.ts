import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  /** Random per request; returned as `x-request-id` and carried by every log line. */
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any (undefined in CLI and background jobs). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * First middleware of the app: gives the request a server-generated id (a client-supplied
 * one is ignored, so it cannot be used to correlate requests) and runs the rest of the
 * request inside its async context.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  (req as Request & { id: string }).id = requestId;
  res.setHeader('x-request-id', requestId);
  storage.run({ requestId }, next);
}
