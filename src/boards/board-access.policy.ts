import { Injectable } from '@nestjs/common';
import { AppConfig } from '../infrastructure/config/app-config';
import type { BoardEntity } from './board.entity';

/** Who is looking: a visitor (no account) or a member with their current verified employers. */
export interface BoardViewer {
  readonly signedIn: boolean;
  /** Companies where the viewer holds a current (unexpired) verified membership. */
  readonly currentCompanyIds: ReadonlySet<string>;
}

export const VISITOR: BoardViewer = { signedIn: false, currentCompanyIds: new Set() };

/**
 * A member whose employers were not looked at: enough to decide reading a board for which
 * `readsByEmployer` is false, and for nothing else.
 */
export const MEMBER_UNLOOKED: BoardViewer = { signedIn: true, currentCompanyIds: new Set() };

/**
 * The one place that decides who may read and post in a board (SPEC §1, §3):
 * - a company board: read and post only by current verified members of that company;
 * - a public board: read by members (and by visitors when PUBLIC_READ), post by members with
 *   at least one current verified membership.
 * A board the viewer may not read is treated everywhere as if it did not exist.
 */
@Injectable()
export class BoardAccessPolicy {
  constructor(private readonly config: AppConfig) {}

  canRead(board: BoardEntity, viewer: BoardViewer): boolean {
    switch (board.kind) {
      case 'COMPANY':
        return board.companyId !== null && viewer.currentCompanyIds.has(board.companyId);
      case 'PUBLIC':
        return viewer.signedIn || this.config.PUBLIC_READ;
    }
  }

  /** Whether reading the board depends on the viewer's employers (else on signing in alone). */
  readsByEmployer(board: BoardEntity): boolean {
    return board.kind === 'COMPANY';
  }

  canPost(board: BoardEntity, viewer: BoardViewer): boolean {
    switch (board.kind) {
      case 'COMPANY':
        return this.canRead(board, viewer);
      case 'PUBLIC':
        return viewer.signedIn && viewer.currentCompanyIds.size > 0;
    }
  }

  /** Whether public boards are readable at all (for listing them). */
  canReadPublicBoards(viewer: BoardViewer): boolean {
    return viewer.signedIn || this.config.PUBLIC_READ;
  }
}
