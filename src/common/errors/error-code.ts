/**
 * The stable `extensions.code` values a client can rely on. Feature exceptions carry one of
 * these; the GraphQL error formatter turns anything else into INTERNAL_SERVER_ERROR.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  CONTENT_BLOCKED = 'CONTENT_BLOCKED',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The query text could not be parsed, or exceeded the token limit. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The query does not fit the schema, or exceeded a depth/alias/cost/directive limit. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** The request was refused by CSRF prevention (missing JSON content type or preflight header). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The server is past its capacity and refused the request unread; retry after `Retry-After`. */
  OVERLOADED = 'OVERLOADED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Codes whose message was written for the client and may be shown as is. */
export const CLIENT_SAFE_CODES: ReadonlySet<string> = new Set(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);
