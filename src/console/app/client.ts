import {
  cacheExchange,
  Client,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
} from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * A GraphQL client for one session: queries and mutations over HTTP POST to /graphql with
 * the bearer token, subscriptions over graphql-ws on the same path. A new client is made at
 * each sign-in, so nothing cached for one person is shown to the next.
 */
export function createGraphqlClient(
  token: string | null,
  /** Called when the server no longer knows the token (expired, signed out elsewhere). */
  onUnauthenticated: () => void = () => undefined,
): Client {
  const auth = token === null ? undefined : `Bearer ${token}`;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = createWsClient({
    url: `${scheme}://${location.host}/graphql`,
    lazy: true,
    connectionParams: () => (auth === undefined ? {} : { authorization: auth }),
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  return new Client({
    url: '/graphql',
    // POST only: the server's CSRF protection refuses simple GET requests.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => (auth === undefined ? {} : { headers: { authorization: auth } }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'))
            onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }),
          };
        },
      }),
    ],
  });
}
