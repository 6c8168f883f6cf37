import type { Role } from './role';

/** The signed-in person behind a request. Lives only in the request; never in a response type. */
export interface Principal {
  accountId: string;
  sessionId: string;
  roles: ReadonlySet<Role>;
  jurisdiction: string;
}

/** Implemented by the identity module: turns a bearer token into a principal. */
export interface PrincipalResolver {
  /** null when the token is unknown, expired or revoked. */
  resolve(token: string): Promise<Principal | null>;
}

export const PRINCIPAL_RESOLVER = Symbol('PRINCIPAL_RESOLVER');

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/**
 * The principal of an `Authorization` header (`Bearer <token>`); null when the header is not
 * one or its session is unknown, expired or revoked.
 */
export function principalOfHeader(
  header: string,
  principals: PrincipalResolver,
): Promise<Principal | null> {
  const token = BEARER.exec(header)?.[1];
  return token === undefined ? Promise.resolve(null) : principals.resolve(token);
}
