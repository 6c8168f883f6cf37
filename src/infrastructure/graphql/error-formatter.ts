import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException, HttpStatus, type LoggerService } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppException, ErrorCode, rateLimitedMessage } from '../../common/errors';
import { currentRequest } from '../http/request-context';

/** Codes GraphQL and Apollo themselves produce, whose messages describe the query, not the server. */
const GRAPHQL_REQUEST_CODES: ReadonlySet<string> = new Set([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo's own codes for a request that names an operation it does not hold, or asks for a
 * persisted query (off here): not stable codes of this API, answered as BAD_REQUEST.
 */
const BAD_REQUEST_CODES: ReadonlySet<string> = new Set([
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Public extensions a request error may carry besides its code (argument size caps). */
const REQUEST_ERROR_DETAILS = ['fields', 'limit'] as const;

const TOO_MANY_VARIABLE_ERRORS = /^Too many errors processing variables/;

const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.BAD_USER_INPUT,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.CONFLICT]: ErrorCode.CONFLICT,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
};

type Formatted = GraphQLFormattedError & { extensions?: Record<string, unknown> };

/**
 * The one mapping from what a resolver threw to what a client sees.
 * - AppException (every feature exception): its code, its message, its public details.
 * - Nest HttpExceptions (validation pipe, guards, throttler): the matching stable code.
 * - Errors GraphQL/Apollo raise about the request itself (parse, validation, limits,
 *   variable coercion): passed through; they describe the query.
 * - Anything else: INTERNAL_SERVER_ERROR with the request id; the real error goes to the log
 *   under the same id. No stack traces and no internal messages ever reach the client.
 */
export function createErrorFormatter(logger: LoggerService) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const base: Formatted = {
      message: formatted.message,
      ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
      ...(formatted.path === undefined ? {} : { path: formatted.path }),
    };
    const original = unwrapResolverError(error);

    if (original instanceof AppException) {
      return {
        ...base,
        message: original.message,
        extensions: { ...original.details, code: original.code },
      };
    }
    if (original instanceof ThrottlerException) {
      return {
        ...base,
        message: rateLimitedMessage(),
        extensions: { code: ErrorCode.RATE_LIMITED },
      };
    }
    if (original instanceof HttpException) {
      const code = HTTP_STATUS_CODES[original.getStatus()];
      if (code !== undefined)
        return { ...base, message: httpMessage(original), extensions: { code } };
    }
    // graphql-js stops coercing variables after 50 bad values with one more error of its own,
    // which (unlike the 50) Apollo leaves without a code: it describes the request too.
    const code =
      original instanceof GraphQLError &&
      original.extensions.code === undefined &&
      original.originalError == null &&
      formatted.path === undefined &&
      TOO_MANY_VARIABLE_ERRORS.test(formatted.message)
        ? ErrorCode.BAD_USER_INPUT
        : formatted.extensions?.code;
    const isRequestError =
      typeof code === 'string' &&
      GRAPHQL_REQUEST_CODES.has(code) &&
      // A resolver that throws a plain Error gets no code from GraphQL; only errors GraphQL
      // itself built (no foreign original error) are trusted to describe the request.
      (original instanceof GraphQLError || original === undefined || original === null);
    if (isRequestError) {
      const extensions: Record<string, unknown> = {
        code: BAD_REQUEST_CODES.has(code) ? ErrorCode.BAD_REQUEST : code,
      };
      for (const key of REQUEST_ERROR_DETAILS)
        if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      return { ...base, extensions };
    }

    const requestId = currentRequest()?.requestId;
    logger.error(
      {
        msg: 'Unhandled error in GraphQL request',
        requestId,
        path: formatted.path,
        err:
          original instanceof Error
            ? { name: original.name, message: original.message, stack: original.stack }
            : String(original),
      },
      'GraphQL',
    );
    return {
      ...base,
      message: `Internal server error${requestId === undefined ? '' : ` (request ${requestId})`}.`,
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(requestId === undefined ? {} : { requestId }),
      },
    };
  };
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
  }
  return error.message;
}
