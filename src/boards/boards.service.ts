import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditActor } from '../audit/audit-trail.service';
import { ConflictException } from '../common/errors';
import { CompaniesService, JURISDICTION_CODE } from '../companies/companies.service';
import { MembershipsService } from '../identity/memberships/memberships.service';
import type { Principal } from '../infrastructure/auth/principal';
import { AppConfig } from '../infrastructure/config/app-config';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransactionRunner } from '../infrastructure/database/transaction-runner';
import { isUniqueViolation } from '../infrastructure/database/unique-violation';
import {
  BoardAccessPolicy,
  type BoardViewer,
  MEMBER_UNLOOKED,
  VISITOR,
} from './board-access.policy';
import type { BoardEntity } from './board.entity';
import { BoardViewersService } from './board-viewers.service';
import {
  BoardNotFoundException,
  BoardPostingForbiddenException,
  InvalidBoardException,
} from './boards.exception';
import { BoardsRepository } from './boards.repository';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Company boards are named after their company: `company-<company slug>`. */
const COMPANY_BOARD_PREFIX = 'company-';

/**
 * Boards: public topic boards created by admins, and one board per company, opened lazily
 * once the company has COMPANY_BOARD_MIN_MEMBERS current verified members (checked whenever
 * a member lists boards or looks at the company). Once open, a company board stays open.
 */
@Injectable()
export class BoardsService {
  constructor(
    private readonly config: AppConfig,
    private readonly boards: BoardsRepository,
    private readonly policy: BoardAccessPolicy,
    private readonly viewers: BoardViewersService,
    private readonly companies: CompaniesService,
    private readonly memberships: MembershipsService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  /** Creates a public topic board, with its `board.create` audit entry (admins). */
  async createPublicBoard(
    slug: string,
    name: string,
    jurisdiction: string,
    actor: AuditActor,
  ): Promise<BoardEntity> {
    const cleanSlug = slug.trim();
    if (!SLUG.test(cleanSlug) || cleanSlug.length > 64) {
      throw new InvalidBoardException(
        'slug must be lower-case letters, digits and single hyphens (at most 64).',
        'slug',
      );
    }
    if (cleanSlug.startsWith(COMPANY_BOARD_PREFIX)) {
      throw new InvalidBoardException(
        `slugs starting with "${COMPANY_BOARD_PREFIX}" are kept for company boards.`,
        'slug',
      );
    }
    const cleanName = name.normalize('NFC').trim();
    if (cleanName.length === 0 || cleanName.length > 120) {
      throw new InvalidBoardException('name must be 1 to 120 characters.', 'name');
    }
    const code = jurisdiction.trim().toUpperCase();
    if (!JURISDICTION_CODE.test(code)) {
      throw new InvalidBoardException(
        'jurisdiction must be a code such as US, DE, CN or US-CA.',
        'jurisdiction',
      );
    }
    const board: BoardEntity = {
      id: randomUUID(),
      slug: cleanSlug,
      name: cleanName,
      kind: 'PUBLIC',
      jurisdiction: code,
      companyId: null,
      createdAt: new Date(),
    };
    const conflict = () =>
      new ConflictException(`The slug "${cleanSlug}" is taken.`, { fields: ['slug'] });
    try {
      await this.transactions.run(CONTENT_STORE, async (manager) => {
        if (await this.boards.slugTaken(manager, cleanSlug)) throw conflict();
        await this.boards.insert(manager, board);
        await this.audit.record(manager, {
          actor,
          action: 'board.create',
          subject: `board:${board.id}`,
          detail: {
            after: { slug: board.slug, name: board.name, kind: board.kind, jurisdiction: code },
          },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict();
      throw error;
    }
    return board;
  }

  /** The boards the viewer may read: their company boards (opened if due), then public boards. */
  async readableBoards(principal: Principal | undefined): Promise<BoardEntity[]> {
    const viewer = await this.viewers.of(principal);
    const companyIds = [...viewer.currentCompanyIds];
    await Promise.all(companyIds.map((id) => this.ensureCompanyBoard(id)));
    const [companyBoards, publicBoards] = await Promise.all([
      this.boards.findByCompanies(companyIds),
      this.policy.canReadPublicBoards(viewer) ? this.boards.findPublicBoards() : [],
    ]);
    return [...companyBoards, ...publicBoards].filter((b) => this.policy.canRead(b, viewer));
  }

  /** The public boards, when the viewer may read public boards (visitors only under PUBLIC_READ). */
  async readablePublicBoards(principal: Principal | undefined): Promise<BoardEntity[]> {
    const viewer = await this.viewers.of(principal);
    if (!this.policy.canReadPublicBoards(viewer)) return [];
    const boards = await this.boards.findPublicBoards();
    return boards.filter((b) => this.policy.canRead(b, viewer));
  }

  /** Every public board, whoever looks (for rankings shared by all viewers; gate reads with readablePublicBoards). */
  publicBoards(): Promise<BoardEntity[]> {
    return this.boards.findPublicBoards();
  }

  async readableBySlug(
    slug: string,
    principal: Principal | undefined,
  ): Promise<BoardEntity | null> {
    const board = await this.boards.findBySlug(slug.trim());
    return board !== null && (await this.canRead(board, principal)) ? board : null;
  }

  /** The company's board when it is open and the viewer may read it; null otherwise. */
  async readableCompanyBoard(
    companyId: string,
    principal: Principal | undefined,
  ): Promise<BoardEntity | null> {
    const viewer = await this.viewers.of(principal);
    if (!viewer.currentCompanyIds.has(companyId)) return null;
    const board = await this.ensureCompanyBoard(companyId);
    return board !== null && this.policy.canRead(board, viewer) ? board : null;
  }

  /** For posting: the board, or NOT_FOUND when unreadable, FORBIDDEN when readable but closed to the viewer. */
  async postableById(boardId: string, principal: Principal): Promise<BoardEntity> {
    const board = await this.boards.findById(boardId);
    const viewer = await this.viewers.of(principal);
    if (board === null || !this.policy.canRead(board, viewer)) throw new BoardNotFoundException();
    if (!this.policy.canPost(board, viewer)) throw new BoardPostingForbiddenException();
    return board;
  }

  /** Whether the viewer may read each of the boards (one look at the viewer for all). */
  async readable(
    boards: readonly BoardEntity[],
    principal: Principal | undefined,
  ): Promise<boolean[]> {
    const viewer = await this.viewers.of(principal);
    return boards.map((board) => this.policy.canRead(board, viewer));
  }

  /** Whether the viewer may read the board (for content found by id). */
  async canRead(board: BoardEntity, principal: Principal | undefined): Promise<boolean> {
    // A public board is read by signing in alone: its readers' memberships are not read for it.
    const viewer = this.policy.readsByEmployer(board)
      ? await this.viewers.of(principal)
      : principal === undefined
        ? VISITOR
        : MEMBER_UNLOOKED;
    return this.policy.canRead(board, viewer);
  }

  async canPost(board: BoardEntity, principal: Principal): Promise<boolean> {
    return this.policy.canPost(board, await this.viewers.of(principal));
  }

  viewer(principal: Principal | undefined): Promise<BoardViewer> {
    return this.viewers.of(principal);
  }

  byIds(ids: readonly string[]): Promise<BoardEntity[]> {
    return this.boards.findByIds(ids);
  }

  byId(id: string): Promise<BoardEntity | null> {
    return this.boards.findById(id);
  }

  /**
   * The company's board, opening it when the company has reached COMPANY_BOARD_MIN_MEMBERS
   * current verified members; null while it is not open. Two requests opening it at once
   * are settled by the unique company_id.
   */
  async ensureCompanyBoard(companyId: string): Promise<BoardEntity | null> {
    const existing = await this.boards.findByCompany(companyId);
    if (existing !== null) return existing;
    if (
      (await this.memberships.countCurrentMembers(companyId)) <
      this.config.COMPANY_BOARD_MIN_MEMBERS
    ) {
      return null;
    }
    const company = await this.companies.byId(companyId);
    if (company === null) return null;
    const board: BoardEntity = {
      id: randomUUID(),
      slug: `${COMPANY_BOARD_PREFIX}${company.slug}`,
      name: company.name,
      kind: 'COMPANY',
      jurisdiction: company.jurisdiction,
      companyId,
      createdAt: new Date(),
    };
    try {
      return await this.transactions.run(CONTENT_STORE, async (manager) => {
        const raced = await this.boards.findByCompany(companyId, manager);
        if (raced !== null) return raced;
        await this.boards.insert(manager, board);
        return board;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.boards.findByCompany(companyId);
    }
  }
}
