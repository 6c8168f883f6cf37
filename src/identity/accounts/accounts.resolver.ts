import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  ClientIp,
  CurrentPrincipal,
  Public,
  Roles,
} from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { AuthRateLimited } from '../../infrastructure/rate-limit/auth-rate-limited.decorator';
import { AccountsService, type SignedIn } from './accounts.service';
import { PasswordChangesService } from './password-changes.service';
import { Session, Viewer } from './viewer.model';
import { SessionsService } from '../sessions/sessions.service';
import { ViewerService } from './viewer.service';
import { AuditTrail } from '../../audit/audit-trail.service';

@Resolver(() => Viewer)
export class AccountsResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordChangesService,
    private readonly viewers: ViewerService,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Query(() => Viewer, { nullable: true, description: 'The signed-in person; null for visitors.' })
  async viewer(@CurrentPrincipal() principal?: Principal): Promise<Viewer | null> {
    return principal === undefined ? null : this.viewers.viewer(principal.accountId);
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Boolean, {
    description:
      'Sends a one-time code to the address. Always true, whether or not the address has an account. Request it signed out for signUp or resetPassword, and signed in for verifyEmployer: a code requested signed in works only for that account.',
  })
  async requestEmailCode(
    @Args('email') email: string,
    @ClientIp() ip: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<boolean> {
    await this.accounts.requestEmailCode(email, ip, principal?.accountId);
    return true;
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Session)
  async signUp(
    @Args('email') email: string,
    @Args('code') code: string,
    @Args('password') password: string,
    @Args('jurisdiction') jurisdiction: string,
    @ClientIp() ip: string,
  ): Promise<Session> {
    return this.session(await this.accounts.signUp(email, code, password, jurisdiction, ip));
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Session)
  async signIn(
    @Args('email') email: string,
    @Args('password') password: string,
    @ClientIp() ip: string,
  ): Promise<Session> {
    return this.session(await this.accounts.signIn(email, password, ip));
  }

  @Mutation(() => Boolean, {
    description: 'Ends the current session; its token stops working at once.',
  })
  async signOut(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.accounts.signOut(principal);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Replaces your password after checking the current one. Every other session of your account ends; this one stays.',
  })
  async changePassword(
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.passwords.change(principal, currentPassword, newPassword);
    return true;
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Session, {
    description:
      'Sets a new password with a code sent by requestEmailCode (requested signed out) to the sign-in address. Every session of the account ends and a new one is returned. An address without an account answers as a wrong code does.',
  })
  async resetPassword(
    @Args('email') email: string,
    @Args('code') code: string,
    @Args('newPassword') newPassword: string,
    @ClientIp() ip: string,
  ): Promise<Session> {
    return this.session(await this.passwords.reset(email, code, newPassword, ip));
  }

  @Mutation(() => Viewer)
  async setJurisdiction(
    @Args('code') code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Viewer> {
    await this.accounts.setJurisdiction(principal, code);
    return this.viewers.viewer(principal.accountId);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes your account. Your posts stay, pseudonymous and no longer linkable to anyone.',
  })
  async deleteAccount(
    @Args('password') password: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.accounts.deleteAccount(principal, password);
    return true;
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean)
  async grantRole(
    @Args('email') email: string,
    @Args('role', { type: () => Role }) role: Role,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.accounts.grantRole(email, role, this.audit.actor(principal, Role.ADMIN));
    return true;
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean)
  async revokeRole(
    @Args('email') email: string,
    @Args('role', { type: () => Role }) role: Role,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.accounts.revokeRole(email, role, this.audit.actor(principal, Role.ADMIN));
    return true;
  }

  private async session({ session, accountId }: SignedIn): Promise<Session> {
    const [viewer, principal] = await Promise.all([
      this.viewers.viewer(accountId),
      this.sessions.resolve(session.token),
    ]);
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      viewer: principal === null ? viewer : { ...viewer, principal },
    };
  }
}
