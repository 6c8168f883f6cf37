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
