import type { BaseContext } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { ErrorCode } from '../../common/errors';
import type { RequestHooks, RequestHooksFactory } from './combined.plugin';

/**
 * Refuses a subscription sent over HTTP with BAD_REQUEST (400) before any resolver runs:
 * subscriptions are served by graphql-ws on the same path, and executed over HTTP they would
 * reach their resolver with no connection to stream to. (graphql-ws runs its operations
 * outside Apollo's request pipeline, so this applies to HTTP alone.)
 */
export const httpOperationsChecks: RequestHooksFactory<BaseContext> = () => HTTP_OPERATION_CHECKS;

const HTTP_OPERATION_CHECKS: RequestHooks<BaseContext> = {
  didResolveOperation({ operation }) {
    if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
      throw new GraphQLError(
        'Subscriptions are served over WebSocket (graphql-ws) on this path, not over HTTP.',
        { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } },
      );
    }
  },
};
