import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuditTrail } from '../audit/audit-trail.service';
import { Company } from '../companies/company.model';
import { CurrentPrincipal, PublicRead, Roles } from '../infrastructure/auth/auth.decorators';
import type { Principal } from '../infrastructure/auth/principal';
import { Role } from '../infrastructure/auth/role';
import { BoardLoaders } from './board.loaders';
import { toBoardModel } from './board.mapper';
import { Board } from './board.model';
import { BoardsService } from './boards.service';

@Resolver(() => Board)
export class BoardsResolver {
  constructor(
    private readonly service: BoardsService,
    private readonly loaders: BoardLoaders,
    private readonly audit: AuditTrail,
  ) {}

  @PublicRead()
  @Query(() => [Board], {
    description: 'The boards you may read: your company boards, then public boards.',
  })
  async boards(@CurrentPrincipal() principal?: Principal): Promise<Board[]> {
    return (await this.service.readableBoards(principal)).map(toBoardModel);
  }

  @PublicRead()
  @Query(() => Board, {
    nullable: true,
    description: 'A board by slug; null when it does not exist or you may not read it.',
  })
  async board(
    @Args('slug', { description: "The board's slug, e.g. `compensation`." }) slug: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Board | null> {
    const board = await this.service.readableBySlug(slug, principal);
    return board === null ? null : toBoardModel(board);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Board, { description: 'Admins only. Creates a public topic board (audited).' })
  async createBoard(
    @Args('slug', {
      description: 'Lower-case letters, digits and single hyphens, at most 64; must be unused.',
    })
    slug: string,
    @Args('name', { description: 'The display name.' }) name: string,
    @Args('jurisdiction', {
      description: 'The jurisdiction whose rules apply on the board (US, DE, CN, US-CA).',
    })
    jurisdiction: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Board> {
    return toBoardModel(
      await this.service.createPublicBoard(
        slug,
        name,
        jurisdiction,
        this.audit.actor(principal, Role.ADMIN),
      ),
    );
  }

  @ResolveField(() => Company, {
    nullable: true,
    description: 'The company of a company board; null for public boards.',
  })
  async company(@Parent() board: Board, @Context('req') req: object): Promise<Company | null> {
    return board.companyId === null ? null : this.loaders.companyById(req).load(board.companyId);
  }
}

@Resolver(() => Company)
export class CompanyBoardResolver {
  constructor(private readonly service: BoardsService) {}

  @ResolveField(() => Board, {
    nullable: true,
    description:
      "The company's board: null until it is open (enough verified members) or when you are not a current member.",
  })
  async board(
    @Parent() company: Company,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Board | null> {
    const board = await this.service.readableCompanyBoard(company.id, principal);
    return board === null ? null : toBoardModel(board);
  }
}
