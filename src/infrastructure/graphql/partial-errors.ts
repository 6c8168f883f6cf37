import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RequestHooks, RequestHooksFactory } from './combined.plugin';

interface PartialError {
  error: GraphQLError;
  extensions: Readonly<Record<string, unknown>>;
}

const pending = new WeakMap<object, PartialError[]>();

/**
 * Records an error of one part of a field that still answers with the other parts (e.g. one
 * input of a bulk mutation): it is added to the response's `errors`, formatted like every
 * error (stable `extensions.code`), with `extensions` added (e.g. the failing input's id).
 */
export function reportPartialError(
  req: object,
  path: ReadonlyArray<string | number>,
  error: unknown,
  extensions: Readonly<Record<string, unknown>>,
): void {
  const message = error instanceof Error ? error.message : String(error);
  const graphqlError = new GraphQLError(message, {
    path,
    originalError: error instanceof Error ? error : undefined,
  });
  pending.set(req, [...(pending.get(req) ?? []), { error: graphqlError, extensions }]);
}

/** Adds the recorded partial errors of a request to its response. */
export function partialErrorsHooks(
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): RequestHooksFactory<{ req?: object }> {
  const hooks: RequestHooks<{ req?: object }> = {
    willSendResponse({ contextValue, response }) {
      const req = contextValue.req;
      const errors = req === undefined ? undefined : pending.get(req);
      if (req === undefined || errors === undefined || response.body.kind !== 'single') return;
      pending.delete(req);
      const result = response.body.singleResult;
      result.errors = [
        ...(result.errors ?? []),
        ...errors.map(({ error, extensions }) => {
          const formatted = formatError(error.toJSON(), error);
          return { ...formatted, extensions: { ...formatted.extensions, ...extensions } };
        }),
      ];
    },
  };
  return () => hooks;
}
