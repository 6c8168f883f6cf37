import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
} from '@apollo/server';

/**
 * The hooks of one request that the server's own plugins use, as plain synchronous calls. A
 * check refuses by throwing (Apollo answers with the error, as from any plugin's hook).
 */
export interface RequestHooks<TContext extends BaseContext> {
  didResolveOperation?(requestContext: GraphQLRequestContextDidResolveOperation<TContext>): void;
  willSendResponse?(requestContext: GraphQLRequestContextWillSendResponse<TContext>): void;
}

/** Makes the hooks of one request (called when the request starts; may keep per-request state). */
export type RequestHooksFactory<TContext extends BaseContext> = () => RequestHooks<TContext>;

/**
 * One Apollo plugin running several parts' hooks in the given order, as one listener.
 *
 * Apollo awaits every hook stage of every listener of a request — requestDidStart,
 * didResolveOperation, responseForOperation (two promises per listener even without the hook),
 * executionDidStart, willSendResponse — so each listener costs a dozen promises per request,
 * and each promise is dearer while the request context's AsyncLocalStorage keeps async hooks
 * on. Hand-written because Apollo has no way to merge plugins; the parts run in the order they
 * ran as separate plugins (Apollo calls a stage's hooks one after the other, in plugin order,
 * and the first check that throws answers the request), so what is refused, counted and
 * answered is unchanged.
 */
export function combinedPlugin<TContext extends BaseContext>(
  parts: ReadonlyArray<RequestHooksFactory<TContext>>,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const hooks = parts.map((part) => part());
      return Promise.resolve({
        didResolveOperation(requestContext) {
          for (const hook of hooks) hook.didResolveOperation?.(requestContext);
          return Promise.resolve();
        },
        willSendResponse(requestContext) {
          for (const hook of hooks) hook.willSendResponse?.(requestContext);
          return Promise.resolve();
        },
      });
    },
  };
}
