import { join } from 'node:path';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Request, Response } from 'express';
import { PROJECT_ROOT } from '../../common/project-root';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { createErrorFormatter } from './error-formatter';
import { metricsPlugin } from './metrics.plugin';
import { ServerInfoResolver } from './server-info.resolver';

/** Where `npm run schema:generate` writes the schema that is committed for review. */
export const SCHEMA_FILE = join(PROJECT_ROOT, 'schema.gql');

export interface GraphqlContext {
  req: Request;
  res: Response;
}

/**
 * Code-first GraphQL at /graphql on Apollo Server, hardened:
 * - graphql-armor: depth, aliases, cost, directives; graphql-js: tokens; field suggestions masked in
 *   production (configurable); stack traces never included; batched HTTP requests refused.
 * - CSRF prevention (Apollo's): a request must be JSON or carry a preflight-forcing header.
 * - Introspection configurable, off by default in production; no landing page in production.
 * - Automatic persisted queries off (no unbounded query cache to fill).
 */
export function graphqlOptions(config: AppConfig, metrics: MetricsService): ApolloDriverConfig {
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
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
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
      ...armor.plugins,
      metricsPlugin(metrics),
      ...(config.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
    ] as unknown as ApolloDriverConfig['plugins'],
    formatError: createErrorFormatter(logger),
    context: ({ req, res }: GraphqlContext): GraphqlContext => ({ req, res }),
  };
}

@Module({
  imports: [
    NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, MetricsService],
      useFactory: graphqlOptions,
    }),
  ],
  providers: [ServerInfoResolver],
})
export class GraphqlModule {}
