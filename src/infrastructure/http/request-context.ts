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

type WithId = Request & { id?: string };

/** A server-generated id for the request (a client-supplied one is ignored, so it cannot be used to correlate requests), returned as `x-request-id`. */
function giveRequestId(req: WithId, res: Response): string {
  const requestId = randomUUID();
  req.id = requestId;
  res.setHeader('x-request-id', requestId);
  return requestId;
}

/** The front door's first step (app.setup.ts): the request's id, without its async context. */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  giveRequestId(req, res);
  next();
}

/**
 * First middleware of the app: runs the rest of the request inside its async context, with
 * the id the front door gave it, or a new one.
 */
export function requestContextMiddleware(req: WithId, res: Response, next: NextFunction): void {
  storage.run({ requestId: req.id ?? giveRequestId(req, res) }, next);
}
