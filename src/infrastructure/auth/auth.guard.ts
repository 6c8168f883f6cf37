import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenException, UnauthenticatedException } from '../../common/errors';
import { AppConfig } from '../config/app-config';
import { IS_PUBLIC, PUBLIC_READ_ONLY, requestOf, ROLES } from './auth.decorators';
import { PRINCIPAL_RESOLVER, principalOfHeader, type PrincipalResolver } from './principal';
import type { Role } from './role';
import { markStaffOperation } from '../metrics/staff-operations';

/**
 * Global guard: reads `Authorization: Bearer <token>`, resolves the principal, then enforces
 * @Public, @PublicRead and @Roles. A token that is present but invalid, expired or revoked is refused with
 * UNAUTHENTICATED even on public operations, so a client learns at once that it was signed out.
 * HTTP routes (health, metrics) are not GraphQL operations and are left to their own checks.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const req = requestOf(context);
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    // A staff-only field: metrics count the operation as `staff`, not under its name.
    if (roles !== undefined) markStaffOperation(req);
    const header = req.headers.authorization;
    // One GraphQL request runs this guard once per root field: resolve the token once.
    if (header !== undefined && header !== '' && req.principal === undefined) {
      const principal = await principalOfHeader(header, this.principals);
      if (principal === null)
        throw new UnauthenticatedException(
          'Your session is invalid or has expired; please sign in again.',
        );
      req.principal = principal;
    }
    const open = this.reflector.getAllAndOverride<boolean | string | undefined>(IS_PUBLIC, targets);
    if (open === true) return true;
    const principal = req.principal;
    if (open === PUBLIC_READ_ONLY && (principal !== undefined || this.config.PUBLIC_READ))
      return true;
    if (principal === undefined)
      throw new UnauthenticatedException(
        open === PUBLIC_READ_ONLY
          ? 'This forum is open to members only: sign in to read it.'
          : undefined,
      );
    if (roles !== undefined && !roles.some((role) => principal.roles.has(role))) {
      throw new ForbiddenException('Your role does not allow this.');
    }
    return true;
  }
}
