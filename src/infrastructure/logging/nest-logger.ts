import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { Level, Logger as PinoInstance } from 'pino';
import { PINO } from './pino';

/**
 * Nest's logger written through the process's one pino logger, so framework messages come
 * out as the same JSON lines as ours: `context` holds Nest's context name, an Error goes
 * under `err` (and through `safeError`), an object's fields are merged into the line.
 *
 * Written here rather than taken from nestjs-pino: its versions for NestJS 12 declare
 * Node ≥ 22.12, which this project does not run on, and its older ones do not support
 * NestJS 12. Of the library only this adapter was in use: request lines come from
 * `requestLogMiddleware`, and a request's id from the request context (logging.module.ts).
 */
@Injectable()
export class NestLogger implements LoggerService {
  constructor(@Inject(PINO) private readonly pino: PinoInstance) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes the context name last. Its exception handlers call
   * `error(message, stack, context)`: that stack becomes the `err` of the line.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (rest.length > 0) {
      const context = rest[rest.length - 1];
      if (typeof context === 'string') fields.context = context;
      rest = rest.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else if (
      level === 'error' &&
      typeof message === 'string' &&
      rest.length === 1 &&
      typeof rest[0] === 'string' &&
      /\n\s*at /.test(rest[0])
    ) {
      const error = new Error(message);
      error.stack = rest[0];
      this.pino[level]({ ...fields, err: error }, message);
    } else {
      this.pino[level](fields, String(message), ...rest);
    }
  }
}
