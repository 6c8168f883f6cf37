import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PostAuthor } from '../posts/post-columns';
import { ThreadHandlesRepository } from '../posts/thread-handles.repository';
import type { BoardEntity } from '../boards/board.entity';
import { CompaniesService } from '../companies/companies.service';
import { MembershipsService } from '../identity/memberships/memberships.service';
import { EmployerDisclosure, employerLabel } from '../identity/pseudonyms/employer-label';
import { MAX_HANDLE_CANDIDATES, PseudonymService } from '../identity/pseudonyms/pseudonym.service';
import { AuthorSealService } from '../identity/sealing/author-seal.service';
import { ContentTokenService } from '../identity/sealing/content-token.service';
import type { Principal } from '../infrastructure/auth/principal';
import { AppConfig } from '../infrastructure/config/app-config';

/** A mutation made idempotent by clientMutationId, with the target it acts on. */
export type IdempotentMutation =
  | { kind: 'createThread'; boardId: string }
  | { kind: 'createComment'; threadId: string; parentId: string | null };

/** The target's parts, a fixed number per kind (ids hold no NUL), before the client's value. */
function mutationTarget(mutation: IdempotentMutation): string[] {
  switch (mutation.kind) {
    case 'createThread':
      return [mutation.boardId];
    case 'createComment':
      return [mutation.threadId, mutation.parentId ?? ''];
  }
}

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
    private readonly handles: ThreadHandlesRepository,
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
      label: label.label,
      labelNotice: label.downgradeReason ?? null,
      token: this.authorToken(principal, threadId),
      sealedRef,
    };
  }

  /**
   * The author's handle in the thread, claimed in the post's transaction (`manager`): the one
   * they already carry there, else the first of their candidates (PseudonymService.threadHandle)
   * no other author of the thread carries. So one person keeps one handle throughout a thread
   * and two people never share one, also when their first posts race (ThreadHandlesRepository).
   */
  async claimHandle(
    manager: EntityManager,
    principal: Principal,
    threadId: string,
    authorToken: string,
  ): Promise<string> {
    const carried = await this.handles.handleOf(manager, threadId, authorToken);
    if (carried !== null) return carried;
    for (let attempt = 0; attempt < MAX_HANDLE_CANDIDATES; attempt++) {
      const handle = this.pseudonyms.threadHandle(principal.accountId, threadId, attempt);
      if ((await this.handles.claim(manager, threadId, handle, authorToken)) === authorToken) {
        return handle;
      }
    }
    throw new Error('no free handle left in the thread');
  }

  authorToken(principal: Principal, threadId: string): string {
    return this.tokens.token('author', principal.accountId, threadId);
  }

  /**
   * The stored idempotency token of one mutation: HMAC(idempotency, account, mutation, its
   * target, clientMutationId). A retry of the same mutation on the same target finds the first
   * post; the same clientMutationId used for another mutation or another target gives an
   * unrelated token, so reusing a value links nothing.
   */
  idempotencyKey(
    principal: Principal,
    mutation: IdempotentMutation,
    clientMutationId: string,
  ): string {
    const target = [mutation.kind, ...mutationTarget(mutation), clientMutationId].join('\0');
    return this.tokens.token('idempotency', principal.accountId, target);
  }

  voterToken(principal: Principal, targetId: string): string {
    return this.tokens.token('vote', principal.accountId, targetId);
  }

  /**
   * HMAC(poll-vote, account, poll): one per person per poll, unrelated to their other tokens;
   * the current key's first, then the previous key's during a rotation (so a vote cast before
   * the rotation still counts as the person's one vote).
   */
  pollVoterTokens(principal: Principal, pollId: string): string[] {
    return this.tokens.tokens('poll-vote', principal.accountId, pollId);
  }

  /**
   * The label from the author's current membership: on a company board that company; on a
   * public board the most recently verified current membership. A post that asks to show no
   * employer shows the same label whatever the memberships: they are not read.
   */
  private async label(accountId: string, board: BoardEntity, disclosure: EmployerDisclosure) {
    if (disclosure === EmployerDisclosure.NONE) {
      return employerLabel(disclosure, null, 0, this.config.K_ANONYMITY_MIN);
    }
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
