import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { ErrorCode } from '../../common/errors';

interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

/**
 * JSON body parsing with a size limit, and GraphQL-shaped answers when it fails, so a client
 * gets `{ errors: [{ extensions: { code } }] }` instead of an HTML error page or a stack trace.
 * Returns the parser and the handler of its errors (mounted right after it).
 */
export function jsonBodyParser(limitBytes: number): [RequestHandler, ErrorRequestHandler] {
  const refuse: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
    if (error.type === 'entity.too.large' || error.status === 413) {
      res.status(413).json({
        errors: [
          {
            message: `Request body is larger than the limit of ${limitBytes} bytes.`,
            extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, limitBytes },
          },
        ],
      });
      return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      res.status(400).json({
        errors: [
          {
            message: 'Request body could not be read as JSON.',
            extensions: { code: ErrorCode.BAD_REQUEST },
          },
        ],
      });
      return;
    }
    next(error);
  };
  return [express.json({ limit: limitBytes, strict: true }), refuse];
}
