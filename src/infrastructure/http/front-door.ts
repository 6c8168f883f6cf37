import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';

/** A step a request takes: an Express middleware that only uses what Node and Express's prototypes give. */
export type FrontStep = (req: Request, res: Response, next: NextFunction) => void;

/** How far a request taken at the front door got there. */
interface Passage {
  /** Steps started at the front door (the last one may have ended with `error`). */
  started: number;
  error?: unknown;
}

/**
 * Runs the first steps of the requests that `takes` picks at the Node HTTP level, in front of
 * Express's app, so that a step may answer them without Express's router and the middleware
 * mounted before it (the visitor cache's hits, docs/performance.md, issue 25). A request no
 * step answers goes on to Express unchanged; the same steps, mounted in Express through
 * `inExpress`, then do nothing for it (or pass on the error its last step ended with, at the
 * place where that step stands in Express's chain, so errors are answered as before). Requests
 * the door does not take go straight to Express.
 *
 * The door answers nothing itself and adds no step; it only moves where the steps run. What
 * Express's `app.handle` does first (its request and response prototypes, `originalUrl`) is done
 * here too, so the steps can read `req.ip` or `req.path` as they would in Express.
 *
 * Hand-written: neither Express nor Nest can run middleware before Express's app (Nest creates
 * the HTTP server with Express's app as its only request listener), and no library does.
 */
export class FrontDoor {
  private readonly passages = new WeakMap<IncomingMessage, Passage>();

  constructor(
    private readonly app: Express,
    private readonly takes: (req: IncomingMessage) => boolean,
    private readonly steps: readonly FrontStep[],
  ) {}

  /** Puts the door in front of Express's app on `server` (its request listener until now). */
  install(server: Server): void {
    if (!server.listeners('request').includes(this.app)) {
      throw new Error("FrontDoor: Express's app is not the server's request listener");
    }
    server.removeListener('request', this.app);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  /** `step` as mounted in Express's chain: skipped for a request that took it at the door. */
  inExpress(step: FrontStep): FrontStep {
    const index = this.steps.indexOf(step);
    if (index === -1) throw new Error('FrontDoor: not one of its steps');
    return (req, res, next) => {
      const passage = this.passages.get(req);
      if (passage === undefined) step(req, res, next);
      else if (index === passage.started - 1 && passage.error !== undefined) next(passage.error);
      else next();
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!this.takes(req)) {
      this.app(req, res);
      return;
    }
    const request = req as Request;
    const response = res as Response;
    // As Express's app.handle does (it does it again, to the same effect, if the request goes on).
    Object.setPrototypeOf(req, this.app.request);
    Object.setPrototypeOf(res, this.app.response);
    request.res = response;
    response.req = request;
    request.originalUrl = req.url ?? '/';
    const passage: Passage = { started: 0 };
    this.passages.set(req, passage);
    const next = (error?: unknown): void => {
      if (error !== undefined || passage.started === this.steps.length) {
        passage.error = error;
        this.app(req, res);
        return;
      }
      const step = this.steps[passage.started];
      passage.started += 1;
      // As Express's router does: a step that throws ends with that error (never the process).
      try {
        step(request, response, next);
      } catch (thrown) {
        next(thrown ?? new Error('A front-door step threw nothing'));
      }
    };
    next();
  }
}
