import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { resolverContextOf } from '../graphql/resolver-context';
import type { Request } from 'express';
import type { Principal } from './principal';
import type { Role } from './role';

export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';

/** Visitors (signed out) may call this; a valid token still identifies the viewer. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * A read of the forum's content: visitors may call it only when PUBLIC_READ is on. With it
 * off, a visitor gets UNAUTHENTICATED, not an empty answer that looks like an empty forum.
 */
export const PublicRead = (): MethodDecorator & ClassDecorator =>
  SetMetadata(IS_PUBLIC, PUBLIC_READ_ONLY);

/** The IS_PUBLIC value of @PublicRead. */
export const PUBLIC_READ_ONLY = 'read';

/** Only principals holding one of these roles may call this. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);

export type RequestWithPrincipal = Request & { principal?: Principal };

/**
 * The bearer token a request (or a graphql-ws connection) was sent with, '' without one: for
 * checking a long-lived subscription's session again at each event.
 */
export function bearerTokenOf(req: Request): string {
  const authorization = req.headers.authorization;
  return typeof authorization === 'string' ? authorization.replace(/^Bearer\s+/i, '') : '';
}

export function requestOf(context: ExecutionContext): RequestWithPrincipal {
  if (context.getType<string>() === 'graphql') {
    return resolverContextOf<{ req: RequestWithPrincipal }>(context).req;
  }
  return context.switchToHttp().getRequest<RequestWithPrincipal>();
}

/** The signed-in principal (undefined for visitors on @Public operations). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    requestOf(context).principal,
);

/** The client's address as Express sees it (honouring TRUST_PROXY). For rate limits only; never logged or stored. */
export const ClientIp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => requestOf(context).ip ?? 'unknown',
);
