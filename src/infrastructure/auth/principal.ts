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

/** Each request's own copy of a principal (requestCopyOf), with the principal it was made from. */
const origins = new WeakMap<Principal, Principal>();

/**
 * A copy of `principal` for one request only, so that what that request records by its
 * principal object is its own. What is kept per session (the viewer's side of board access)
 * is still found by the copy: see sessionPrincipalOf.
 */
export function requestCopyOf(principal: Principal): Principal {
  const own: Principal = Object.freeze({ ...principal });
  origins.set(own, sessionPrincipalOf(principal));
  return own;
}

/** The principal object shared by a session's requests that `principal` was copied from, or itself. */
export function sessionPrincipalOf(principal: Principal): Principal {
  return origins.get(principal) ?? principal;
}
