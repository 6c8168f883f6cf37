import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CompaniesModule } from '../companies/companies.module';
import { IdentityModule } from '../identity/identity.module';
import { BoardAccessPolicy } from './board-access.policy';
import { BoardViewersService } from './board-viewers.service';
import { BoardLoaders } from './board.loaders';
import { BoardsRepository } from './boards.repository';
import { BoardsResolver, CompanyBoardResolver } from './boards.resolver';
import { BoardNodeSource } from './board-node-source';
import { BoardsService } from './boards.service';

/** Public topic boards and company boards, and who may read and post in them. */
@Module({
  imports: [AuditModule, IdentityModule, CompaniesModule],
  providers: [
    BoardsRepository,
    BoardAccessPolicy,
    BoardViewersService,
    BoardsService,
    BoardLoaders,
    BoardsResolver,
    BoardNodeSource,
    CompanyBoardResolver,
  ],
  exports: [BoardsService, BoardLoaders],
})
export class BoardsModule {}
