import type { ApolloDriver } from '@nestjs/apollo';
import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';

/** Calls `count` for every request that reaches Express's app (past the HTTP server's front door). */
export function countExpressRequests(app: INestApplication, count: () => void): void {
  const express = app.getHttpAdapter().getInstance() as {
    handle: (...args: unknown[]) => unknown;
  };
  const handle = express.handle.bind(express);
  express.handle = (...args: unknown[]) => {
    count();
    return handle(...args);
  };
}

/** Calls `count` for every request that reaches Apollo's HTTP handler. */
export function countApolloRequests(app: INestApplication, count: () => void): void {
  const apollo = app.get<GraphQLModule<ApolloDriver>>(GraphQLModule).graphQlAdapter.instance;
  const execute = apollo.executeHTTPGraphQLRequest.bind(apollo);
  apollo.executeHTTPGraphQLRequest = (request) => {
    count();
    return execute(request);
  };
}
