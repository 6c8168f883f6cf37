import { pino, type Logger as PinoInstance } from 'pino';
import type { AppConfig } from '../config/app-config';
import { currentRequest } from '../http/request-context';

/** The one pino logger of the process (Nest's logger writes through it too). */
export const PINO = Symbol('PINO');

/**
 * Every line carries the id of the request it was written in (when there is one), taken
 * from the request context: no per-request child logger is built. (pino-http built one for
 * every request, serialising and redacting the request even when nothing was logged: about
 * 14 % of a feed request's CPU, docs/performance.md.)
 */
/**
 * What a logged error may show: its type, message, code and stack — nothing else. (pino's
 * default serializer copies every enumerable property, and a database error carries its
 * query and parameters: account ids, hashes, rows.) A cause is reduced the same way.
 */
export function safeError(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // An Error, or an object shaped like one (pino's standard serializer's output).
  const error = value as {
    name?: unknown;
    type?: unknown;
    message?: unknown;
    code?: unknown;
    stack?: unknown;
    cause?: unknown;
  };
  const type = value instanceof Error ? value.name : error.type;
  const code = error.code;
  return {
    type: typeof type === 'string' ? type : 'Error',
    message: typeof error.message === 'string' ? error.message : '',
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
    ...(error.cause === undefined ? {} : { cause: safeError(error.cause) }),
  };
}

export function createPino(config: AppConfig): PinoInstance {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'workplace-forum' },
    serializers: { err: safeError, error: safeError },
    mixin: () => {
      const requestId = currentRequest()?.requestId;
      return requestId === undefined ? {} : { reqId: requestId };
    },
  });
}
