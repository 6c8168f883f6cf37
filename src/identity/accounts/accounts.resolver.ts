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
    @Args('email', { description: 'The address to send the code to.' }) email: string,
    @ClientIp() ip: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<boolean> {
    await this.accounts.requestEmailCode(email, ip, principal?.accountId);
    return true;
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Session, {
    description:
      'Creates an account with a code sent by requestEmailCode (requested signed out) and signs it in.',
  })
  async signUp(
    @Args('email', { description: 'The sign-in address the code was sent to.' }) email: string,
    @Args('code', { description: 'The one-time code from the mail.' }) code: string,
    @Args('password', { description: 'The new password: 10 to 128 characters.' })
    password: string,
    @Args('jurisdiction', {
      description:
        'Where you are, as a code such as US, DE, CN or US-CA: its rules apply to what you read and post.',
    })
    jurisdiction: string,
    @ClientIp() ip: string,
  ): Promise<Session> {
    return this.session(await this.accounts.signUp(email, code, password, jurisdiction, ip));
  }

  @Public()
  @AuthRateLimited()
  @Mutation(() => Session, {
    description: 'Signs in with address and password; a wrong pair answers UNAUTHENTICATED.',
  })
  async signIn(
    @Args('email', { description: 'The sign-in address.' }) email: string,
    @Args('password', { description: 'The account password.' }) password: string,
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
    @Args('currentPassword', { description: 'Your password now.' }) currentPassword: string,
    @Args('newPassword', { description: 'The new password: 10 to 128 characters.' })
    newPassword: string,
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
    @Args('email', { description: 'The sign-in address the code was sent to.' }) email: string,
    @Args('code', { description: 'The one-time code from the mail.' }) code: string,
    @Args('newPassword', { description: 'The new password: 10 to 128 characters.' })
    newPassword: string,
    @ClientIp() ip: string,
  ): Promise<Session> {
    return this.session(await this.passwords.reset(email, code, newPassword, ip));
  }

  @Mutation(() => Viewer, {
    description:
      'Moves your account to another jurisdiction, at most once in JURISDICTION_CHANGE_DAYS (a second change answers an error naming the day it becomes possible).',
  })
  async setJurisdiction(
    @Args('code', { description: 'A jurisdiction code such as US, DE, CN or US-CA.' })
    code: string,
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
    @Args('password', { description: 'Your password, to confirm.' }) password: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.accounts.deleteAccount(principal, password);
    return true;
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, {
    description:
      'Admins only. Gives the account a staff role (audited); granting a role it has changes nothing. True when done.',
  })
  async grantRole(
    @Args('email', { description: "The account's sign-in address." }) email: string,
    @Args('role', { type: () => Role, description: 'MODERATOR, COMPLIANCE_OFFICER or ADMIN.' })
    role: Role,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.accounts.grantRole(email, role, this.audit.actor(principal, Role.ADMIN));
    return true;
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, {
    description:
      'Admins only. Takes a staff role away (audited); the last admin cannot lose ADMIN. True when done.',
  })
  async revokeRole(
    @Args('email', { description: "The account's sign-in address." }) email: string,
    @Args('role', { type: () => Role, description: 'MODERATOR, COMPLIANCE_OFFICER or ADMIN.' })
    role: Role,
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
