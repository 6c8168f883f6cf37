import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

/**
 * JSON logs (pino). A request line carries only its id, method, path (no query string),
 * status and duration: no IP address, no headers (so no Authorization token), no body.
 * Feature code logs ids of content or of staff handles, never of accounts, and never both
 * a person-side value and a content id on one line (docs/anonymity.md).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: IncomingMessage) =>
            (req as IncomingMessage & { id?: string }).id ?? 'none',
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          redact: { paths: ['req.headers', 'req.remoteAddress', 'req.remotePort'], remove: true },
          serializers: {
            req: (req: IncomingMessage & { id?: string }) => ({
              id: req.id,
              method: req.method,
              path: (req.url ?? '').split('?')[0],
            }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
          },
          customProps: () => ({ service: 'workplace-forum' }),
        },
      }),
    }),
  ],
})
export class LoggingModule {}
