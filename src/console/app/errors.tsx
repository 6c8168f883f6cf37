import type { CombinedError } from '@urql/core';

/** What the console shows for a failed operation: the server's stable code and message. */
export interface Problem {
  code: string;
  /** The server's `extensions.reason`, when it gives one (e.g. CLAIMED, FOUR_EYES). */
  reason?: string;
  message: string;
}

/** The server's `extensions` of the first error (e.g. `ruleSetId` of DRAFT_EXISTS, `fields`). */
export function extensionsOf(error: CombinedError | undefined): Record<string, unknown> {
  return error?.graphQLErrors[0]?.extensions ?? {};
}

export function problemOf(error: CombinedError): Problem {
  if (error.networkError !== undefined && error.graphQLErrors.length === 0)
    return {
      code: 'NETWORK',
      message: 'The server could not be reached. Check the connection and try again.',
    };
  const first = error.graphQLErrors[0];
  const extensions = extensionsOf(error);
  return {
    code: typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR',
    ...(typeof extensions.reason === 'string' ? { reason: extensions.reason } : {}),
    message: first?.message ?? 'Something went wrong.',
  };
}

/** An error announced to screen readers as it appears. */
export function ErrorNotice({ error, title }: { error: CombinedError | Problem; title?: string }) {
  const problem = 'graphQLErrors' in error ? problemOf(error) : error;
  return (
    <div class="notice notice-error" role="alert" data-code={problem.code}>
      {title !== undefined && <strong>{title} </strong>}
      {problem.message} <span class="code">({problem.code})</span>
    </div>
  );
}

/** A success or information message, announced politely. */
export function StatusNotice({ children }: { children: preact.ComponentChildren }) {
  return (
    <div class="notice notice-ok" role="status">
      {children}
    </div>
  );
}
