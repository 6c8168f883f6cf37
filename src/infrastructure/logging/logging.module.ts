import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, type Logger as PinoInstance } from 'pino';
import { AppConfig } from '../config/app-config';
import { currentRequest } from '../http/request-context';

/** The one pino logger of the process (Nest's logger writes through it too). */
export const PINO = Symbol('PINO');

/**
 * Every line carries the id of the request it was written in (when there is one), taken
 * from the request context: no per-request child logger is built. (pino-http built one for
 * every request, serialising and redacting the request even when nothing was logged: about
 * 14 % of a feed request's CPU, docs/performance.md.)
 */
export function createPino(config: AppConfig): PinoInstance {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'workplace-forum' },
    mixin: () => {
      const requestId = currentRequest()?.requestId;
      return requestId === undefined ? {} : { reqId: requestId };
    },
  });
}

@Module({
  providers: [{ provide: PINO, inject: [AppConfig], useFactory: createPino }],
  exports: [PINO],
})
class PinoModule {}

/**
 * JSON logs (pino). A request line carries only its id, method, path (no query string),
 * status and duration: no IP address, no headers (so no Authorization token), no body
 * (`requestLogMiddleware`). Feature code logs ids of content or of staff handles, never of
 * accounts, and never both a person-side value and a content id on one line
 * (docs/anonymity.md).
 */
@Module({
  imports: [
    PinoModule,
    LoggerModule.forRootAsync({
      imports: [PinoModule],
      inject: [PINO],
      // `useExisting`: nestjs-pino mounts no pino-http middleware; Nest's logger writes
      // through this logger, and request lines come from `requestLogMiddleware`.
      useFactory: (logger: PinoInstance) => ({ pinoHttp: { logger }, useExisting: true }),
    }),
  ],
  exports: [PinoModule],
})
export class LoggingModule {}
