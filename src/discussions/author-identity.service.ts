import { Injectable } from '@nestjs/common';
import type { PostAuthor } from '../posts/post-columns';
import type { BoardEntity } from '../boards/board.entity';
import { CompaniesService } from '../companies/companies.service';
import { MembershipsService } from '../identity/memberships/memberships.service';
import { EmployerDisclosure, employerLabel } from '../identity/pseudonyms/employer-label';
import { PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import { AuthorSealService } from '../identity/sealing/author-seal.service';
import { ContentTokenService } from '../identity/sealing/content-token.service';
import type { Principal } from '../infrastructure/auth/principal';
import { AppConfig } from '../infrastructure/config/app-config';

/**
 * Turns the signed-in author into the pseudonymous values a content row carries (SPEC §2.6–2.8),
 * computed when the post is written and stored with it.
 */
@Injectable()
export class AuthorIdentityService {
  constructor(
    private readonly config: AppConfig,
    private readonly pseudonyms: PseudonymService,
    private readonly tokens: ContentTokenService,
    private readonly seals: AuthorSealService,
    private readonly memberships: MembershipsService,
    private readonly companies: CompaniesService,
  ) {}

  async forPost(
    principal: Principal,
    board: BoardEntity,
    threadId: string,
    disclosure: EmployerDisclosure,
  ): Promise<PostAuthor> {
    const [label, sealedRef] = await Promise.all([
      this.label(principal.accountId, board, disclosure),
      this.seals.sealFor(principal.accountId),
    ]);
    return {
      handle: this.pseudonyms.threadHandle(principal.accountId, threadId),
      label: label.label,
      labelNotice: label.downgradeReason ?? null,
      token: this.authorToken(principal, threadId),
      sealedRef,
    };
  }

  authorToken(principal: Principal, threadId: string): string {
    return this.tokens.token('author', principal.accountId, threadId);
  }

  idempotencyKey(principal: Principal, clientMutationId: string): string {
    return this.tokens.token('idempotency', principal.accountId, clientMutationId);
  }

  voterToken(principal: Principal, targetId: string): string {
    return this.tokens.token('vote', principal.accountId, targetId);
  }

  /**
   * The label from the author's current membership: on a company board that company; on a
   * public board the most recently verified current membership.
   */
  private async label(accountId: string, board: BoardEntity, disclosure: EmployerDisclosure) {
    const now = Date.now();
    const current = (await this.memberships.forAccount(accountId)).filter(
      (m) => m.expiresAt.getTime() > now,
    );
    const membership =
      board.companyId === null ? current[0] : current.find((m) => m.companyId === board.companyId);
    if (membership === undefined) {
      return employerLabel(disclosure, null, 0, this.config.K_ANONYMITY_MIN);
    }
    const [company, members] = await Promise.all([
      this.companies.byId(membership.companyId),
      this.memberships.countCurrentMembers(membership.companyId),
    ]);
    const kMin = this.config.K_ANONYMITY_MIN;
    // Who else an INDUSTRY label would point at; not needed when the company is named.
    const crowd =
      company === null || (disclosure === EmployerDisclosure.COMPANY && members >= kMin)
        ? undefined
        : await this.memberships.industryCrowd(company.industry, company.sizeBand);
    return employerLabel(disclosure, company, members, kMin, crowd);
  }
}
