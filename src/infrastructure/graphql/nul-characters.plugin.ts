import type { BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errors';
import type { RequestHooks, RequestHooksFactory } from './combined.plugin';

const NUL = '\u0000';

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 100 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => hasNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes(NUL) || hasNul(item, depth + 1));
}

/**
 * Whether each parsed document holds a NUL: Apollo keeps parsed documents and hands the same
 * object to every request of the same query, so a document is walked once, not per request.
 */
const documentsWithNul = new WeakMap<DocumentNode, boolean>();

function documentHasNul(document: DocumentNode): boolean {
  let found = documentsWithNul.get(document);
  if (found === undefined) {
    found = walkForNul(document);
    documentsWithNul.set(document, found);
  }
  return found;
}

function walkForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes(NUL)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Refuses a request whose variables or string literals contain NUL (U+0000) with
 * BAD_USER_INPUT, before any resolver runs. No text of the forum needs it, and PostgreSQL
 * cannot take it in a text parameter (it failed lookups and writes with a 500), while SQLite
 * can: refusing it here makes both stores answer the same.
 */
export const nulCharactersChecks: RequestHooksFactory<BaseContext> = () => NUL_CHECKS;

const NUL_CHECKS: RequestHooks<BaseContext> = {
  didResolveOperation({ request, document }) {
    if (hasNul(request.variables) || documentHasNul(document)) {
      throw new GraphQLError('Text must not contain NUL characters (U+0000).', {
        extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
      });
    }
  },
};
