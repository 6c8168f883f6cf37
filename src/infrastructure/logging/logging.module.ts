import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NestLogger } from './nest-logger';
import { createPino, PINO } from './pino';

export { PINO } from './pino';

/**
 * JSON logs (pino). A request line carries only its id, method, path (no query string),
 * status and duration: no IP address, no headers (so no Authorization token), no body
 * (`requestLogMiddleware`). Feature code logs ids of content or of staff handles, never of
 * accounts, and never both a person-side value and a content id on one line
 * (docs/anonymity.md). Nest's own messages go through the same logger (`NestLogger`).
 */
@Module({
  providers: [{ provide: PINO, inject: [AppConfig], useFactory: createPino }, NestLogger],
  exports: [PINO, NestLogger],
})
export class LoggingModule {}
