import { join } from 'node:path';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Logger, Module } from '@nestjs/common';
import { GraphQLSchemaHost, GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { GraphQLError, parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import { PROJECT_ROOT } from '../../common/project-root';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { createErrorFormatter } from './error-formatter';
import { DateTimeScalar } from './date-time.scalar';
import { metricsHooks } from './metrics.plugin';
import { argumentLimitError, argumentLimitsChecks } from './argument-limits';
import { nulCharactersChecks } from './nul-characters.plugin';
import { httpOperationsChecks } from './http-operations.plugin';
import { combinedPlugin } from './combined.plugin';
import { ServerInfoResolver } from './server-info.resolver';
import { VisitorCache } from './visitor-cache';
import { MemberAnswers } from './member-answers';
import { partialErrorsHooks } from './partial-errors';
import { rateLimitedResponseHooks } from './rate-limited-response.plugin';
import { describeRootTypes } from './root-type-descriptions';
import { forgetRequestLoaders } from './request-loaders';

/** The answer caches; global because resolvers record what members' answers depend on (MemberAnswers.dependsOnViewer). */
@Global()
@Module({ providers: [VisitorCache, MemberAnswers], exports: [VisitorCache, MemberAnswers] })
class VisitorCacheModule {}

/** Where `npm run schema:generate` writes the schema that is committed for review. */
export const SCHEMA_FILE = join(PROJECT_ROOT, 'schema.gql');

export interface GraphqlContext {
  req: Request;
  res: Response;
}

interface WebSocketContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra?: { request?: IncomingMessage };
}

/**
 * graphql-ws does its own parsing and validation: apply the HTTP limits (tokens, depth,
 * aliases, cost, directives, argument sizes) to subscriptions too. Returns the errors, or
 * nothing to go on.
 */
function limitsErrors(
  schemaHost: GraphQLSchemaHost,
  query: string,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  config: AppConfig,
  rules: readonly ValidationRule[],
): readonly GraphQLError[] | undefined {
  let document;
  try {
    document = parse(query, { maxTokens: config.GRAPHQL_MAX_TOKENS });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('Invalid query.')];
  }
  const errors = validate(schemaHost.schema, document, [...specifiedRules, ...rules]);
  if (errors.length > 0) return errors;
  const tooLarge = argumentLimitError(schemaHost.schema, document, variables ?? undefined);
  return tooLarge === undefined ? undefined : [tooLarge];
}

/** A response stand-in for subscriptions, whose headers went out with the WebSocket upgrade. */
const NO_HEADERS = { header: () => undefined, setHeader: () => undefined } as unknown as Response;

/**
 * The context of an operation. Over HTTP: the Express request and response. Over graphql-ws:
 * a request built from the connection, so guards read `Authorization` from the connection
 * parameters (`{ authorization: "Bearer …" }`), the client address from the socket, and the
 * other headers (a trusted proxy's jurisdiction header among them) from the upgrade request,
 * as on any HTTP request. A session is taken from the connection parameters alone.
 */
export function graphqlContext(input: GraphqlContext | WebSocketContext): GraphqlContext {
  if ('req' in input && input.req !== undefined) return { req: input.req, res: input.res };
  const ws = input as WebSocketContext;
  const authorization = ws.connectionParams?.authorization ?? ws.connectionParams?.Authorization;
  const {
    authorization: _upgradeAuthorization,
    cookie: _cookie,
    ...upgradeHeaders
  } = ws.extra?.request?.headers ?? {};
  const req = {
    headers:
      typeof authorization === 'string' ? { ...upgradeHeaders, authorization } : upgradeHeaders,
    ip: ws.extra?.request?.socket.remoteAddress,
    ips: [],
  } as unknown as Request;
  return { req, res: NO_HEADERS };
}

/**
 * Code-first GraphQL at /graphql on Apollo Server, hardened:
 * - graphql-armor: depth, aliases, cost, directives; graphql-js: tokens; a size cap on every
 *   argument (argument-limits.ts); field suggestions masked in
 *   production (configurable); stack traces never included; batched HTTP requests refused.
 * - CSRF prevention (Apollo's): a request must be JSON or carry a preflight-forcing header.
 * - Introspection configurable, off by default in production; no landing page in production.
 * - Automatic persisted queries off (no unbounded query cache to fill).
 */
export function graphqlOptions(
  config: AppConfig,
  metrics: MetricsService,
  schemaHost: GraphQLSchemaHost,
  visitorCache: VisitorCache,
  memberAnswers: MemberAnswers,
): ApolloDriverConfig {
  const armor = new ApolloArmor({
    // Introspection (off in production) is exempt from depth and cost so tools work; the
    // token limit still bounds it.
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, flattenFragments: true },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    // Tokens are limited by graphql-js's own parser option below (a parse error, as it should be).
    maxTokens: { enabled: false },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    blockFieldSuggestion: { enabled: !config.fieldSuggestionsEnabled },
  }).protect();
  const logger = new Logger('GraphQL');
  const formatError = createErrorFormatter(logger);
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: describeRootTypes,
    buildSchemaOptions: {
      dateScalarMode: 'isoDate',
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    },
    playground: false,
    graphiql: false,
    introspection: config.introspectionEnabled,
    csrfPrevention: true,
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    validationRules: armor.validationRules,
    // Cast: @nestjs/apollo sees Apollo's ES-module typings, this CommonJS build the CommonJS
    // ones; the plugin objects are the same at run time.
    plugins: [
      // The answer caches only answer (responseForOperation) and read the answer
      // (willSendResponse, before the parts below add to it); the server's own checks and
      // answer steps share one listener, in the order they ran as separate plugins.
      visitorCache.plugin(),
      memberAnswers.plugin(),
      combinedPlugin<GraphqlContext>([
        nulCharactersChecks,
        argumentLimitsChecks,
        httpOperationsChecks,
        metricsHooks(metrics),
        partialErrorsHooks(formatError),
        rateLimitedResponseHooks,
      ]),
      ...armor.plugins,
      // No HTTP caching of GraphQL answers here (they depend on the viewer); without this
      // Apollo wraps every field resolver to compute cache hints, ~14 % of a feed request.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
    ] as unknown as ApolloDriverConfig['plugins'],
    formatError,
    // rateLimitedResponseHooks set the status of executed operations (200, or 429).
    preserveHttpStatusForExecutionErrors: false,
    context: graphqlContext,
    // Subscriptions over graphql-ws on the same path; the same limits validate them.
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onSubscribe: (_ctx, _id, payload) => {
          const errors = limitsErrors(
            schemaHost,
            payload.query,
            payload.variables,
            config,
            armor.validationRules,
          );
          // Counted with the codes an HTTP answer would carry for the same refusal.
          if (errors !== undefined)
            metrics.countGraphqlErrors(errors.map((error) => formatError(error.toJSON(), error)));
          return errors;
        },
        // Errors of subscription results go through the same mapping as HTTP responses. Each
        // event is a request of its own as far as loaders go (forgetRequestLoaders).
        onNext: (_ctx, _id, _payload, args, result) => {
          forgetRequestLoaders((args.contextValue as Partial<GraphqlContext> | undefined)?.req);
          if (result.errors === undefined) return undefined;
          const errors = result.errors.map((error) => formatError(error.toJSON(), error));
          // Counted as an HTTP answer's are (graphql_errors_total), by code alone.
          metrics.countGraphqlErrors(errors);
          return { ...result, errors };
        },
      },
    },
  };
}

@Module({
  imports: [
    VisitorCacheModule,
    NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [VisitorCacheModule],
      inject: [AppConfig, MetricsService, GraphQLSchemaHost, VisitorCache, MemberAnswers],
      useFactory: graphqlOptions,
    }),
  ],
  providers: [ServerInfoResolver],
  exports: [VisitorCacheModule],
})
export class GraphqlModule {}
