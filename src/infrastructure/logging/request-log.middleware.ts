import type { NextFunction, Request, Response } from 'express';
import type { Logger as PinoInstance } from 'pino';
import { requestOperationOf } from './request-operation';

/**
 * One line per finished request at level `info`: request id, method, path without the query
 * string, the GraphQL operation (name and type, labelled as metrics label it: staff
 * operations all as `staff`), status and duration. Nothing else of the request (no address, no headers, no
 * body). Health checks are not logged. When `info` is off, it costs one level check.
 */
export function requestLogMiddleware(logger: PinoInstance) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!logger.isLevelEnabled('info') || req.url.startsWith('/health')) {
      next();
      return;
    }
    const started = performance.now();
    const id = (req as Request & { id?: string }).id;
    res.once('finish', () => {
      const graphql = requestOperationOf(req);
      logger.info(
        {
          reqId: id,
          req: { id, method: req.method, path: req.originalUrl.split('?')[0] },
          ...(graphql === undefined ? {} : { graphql }),
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    });
    next();
  };
}
