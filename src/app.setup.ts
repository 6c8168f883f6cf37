import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { NestLogger } from './infrastructure/logging/nest-logger';
import { AppModule } from './app.module';
import { CONSOLE_DIR, CONSOLE_PATH, consoleRouter } from './console/serve-console';
import { AppConfig } from './infrastructure/config/app-config';
import { ShutdownState } from './infrastructure/health/shutdown-state';
import { jsonBodyParser } from './infrastructure/http/body-parser';
import { loadShedding } from './infrastructure/http/load-shedding';
import { FrontDoor } from './infrastructure/http/front-door';
import { assignRequestId, requestContextMiddleware } from './infrastructure/http/request-context';
import { PINO } from './infrastructure/logging/logging.module';
import { MetricsService } from './infrastructure/metrics/metrics.service';
import { requestLogMiddleware } from './infrastructure/logging/request-log.middleware';
import { isGraphqlPost, VisitorCache } from './infrastructure/graphql/visitor-cache';
import { ContentPolicy } from './compliance/enforcement/content-policy.service';
import { MemberAnswers } from './infrastructure/graphql/member-answers';
import {
  PRINCIPAL_RESOLVER,
  principalOfHeader,
  type PrincipalResolver,
} from './infrastructure/auth/principal';
import { BoardViewersService } from './boards/board-viewers.service';

/** Parses TRUST_PROXY into what Express's `trust proxy` setting takes. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Everything applied to the Express app before it serves: request ids, security headers,
 * the bounded JSON body parser, proxy trust and the pino logger. Shared by main.ts and the
 * test harness so tests run the app exactly as production does.
 * (The app must be created with `bodyParser: false` and `bufferLogs: true`.)
 */
export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express = app as NestExpressApplication;
  express.useLogger(app.get(NestLogger));
  express.set('trust proxy', trustProxy(config.TRUST_PROXY));
  express.disable('x-powered-by');
  // Cached answers (visitors', and members' own) are sent at the HTTP server's front door,
  // before Express's router (docs/performance.md, issue 25): a POST /graphql takes its first
  // steps there — its id, load shedding, the request log, the body, the caches — in the order
  // they have in Express's chain below, where they are skipped for a request that already took
  // them. Everything else, and every request the caches do not answer, goes through Express as
  // before.
  const steps = {
    // Before the request log and body parsing: past capacity a refusal must cost next to nothing.
    shedding: loadShedding({
      maxEventLoopDelayMs: config.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
      maxInFlight: config.LOAD_SHED_MAX_IN_FLIGHT,
      maxQueueMs: config.LOAD_SHED_MAX_QUEUE_MS,
      retryAfterSeconds: config.LOAD_SHED_RETRY_AFTER_SECONDS,
      registry: app.get(MetricsService).registry,
      logger: app.get(PINO),
    }),
    requestLog: requestLogMiddleware(app.get(PINO)),
    body: jsonBodyParser(config.MAX_BODY_BYTES),
    visitorCache: app.get(VisitorCache),
  };
  // The cache judges a visitor's jurisdictions by the resolvers' own function, so that its key
  // and their answer cannot disagree.
  const policy = app.get(ContentPolicy);
  steps.visitorCache.judgeVisitorsBy((req) => policy.viewerJurisdictions(undefined, req));
  // Members' shared answers are scoped by the same functions the resolvers judge them by.
  const principals = app.get<PrincipalResolver>(PRINCIPAL_RESOLVER, { strict: false });
  const viewers = app.get(BoardViewersService, { strict: false });
  const memberAnswers = app.get(MemberAnswers);
  memberAnswers.judgeMembersBy({
    principalOf: (header) => principalOfHeader(header, principals),
    scopeOf: async (req, principal) => {
      const { currentCompanyIds } = await viewers.of(principal);
      return JSON.stringify([
        policy.viewerJurisdictions(principal, req),
        [...currentCompanyIds].sort(),
      ]);
    },
  });
  const visitorHit = steps.visitorCache.fastPath();
  const memberHit = memberAnswers.fastPath();
  const [parseBody, refuseBody] = steps.body;
  const door = new FrontDoor(express.getHttpAdapter().getInstance(), isGraphqlPost, [
    assignRequestId,
    ...(steps.shedding === undefined ? [] : [steps.shedding.middleware]),
    steps.requestLog,
    parseBody,
    visitorHit,
    memberHit,
  ]);
  door.install(express.getHttpServer());

  express.use(requestContextMiddleware);
  if (steps.shedding !== undefined) {
    express.use(door.inExpress(steps.shedding.middleware));
    app.get(ShutdownState).onShutdown(() => steps.shedding?.stop());
  }
  express.use(door.inExpress(steps.requestLog));
  // Answers after the shutdown signal close their connections: HttpDrain (serve.ts) marks every
  // response itself, before Express runs, so no middleware here needs to.
  express.use(
    helmet({
      // Apollo's development landing page loads scripts from its CDN; production has none.
      contentSecurityPolicy: config.isProduction ? undefined : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  // The staff console: static files with their own CSP; it talks to /graphql like any client.
  // Source maps only outside production (they would hand anyone the console's source).
  express.use(CONSOLE_PATH, consoleRouter(CONSOLE_DIR, { sourceMaps: !config.isProduction }));
  express.use(door.inExpress(parseBody));
  express.use(refuseBody);
  express.use(door.inExpress(visitorHit));
  express.use(door.inExpress(memberHit));
}

/**
 * Creates the configured application for `config` (not yet listening). main.ts, the test
 * harness and the benchmarks all start the server through here.
 */
export async function createApp(
  config: AppConfig,
  imports: ModuleMetadata['imports'] = [],
  options: { nestLogs?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, imports), {
    bodyParser: false,
    bufferLogs: true,
    // A failure while the modules start (a store lost since the pairing) is thrown to the
    // caller (serve.ts logs it as JSON), not printed by Nest as text before process.abort();
    // the lines Nest buffered meanwhile are printed only once the app's own logger is in place.
    abortOnError: false,
    autoFlushLogs: false,
    ...(options.nestLogs === false ? { logger: false } : {}),
  });
  configureApp(app);
  app.flushLogs();
  // Keep idle keep-alive connections longer than clients and load balancers do (60 s is
  // common), so the server never closes a connection at the moment a client reuses it
  // (the client would see ECONNRESET). headersTimeout must exceed it.
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}
