import { Injectable } from '@nestjs/common';
import { ContentTokenService } from '../../identity/sealing/content-token.service';
import type { Principal } from '../../infrastructure/auth/principal';

/** The keyed token of one member's follow of one thread: HMAC(content-token key, follow, account, thread). */
@Injectable()
export class FollowTokens {
  constructor(private readonly tokens: ContentTokenService) {}

  of(principal: Principal, threadId: string): string {
    return this.tokens.token('follow', principal.accountId, threadId);
  }
}
