import { Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { CompaniesService } from '../companies/companies.service';
import { toCompanyModel } from '../companies/company.mapper';
import type { Company } from '../companies/company.model';
import { byKeys, requestLoader } from '../infrastructure/graphql/request-loaders';
import type { BoardEntity } from './board.entity';
import { BoardsService } from './boards.service';

/** Request-scoped batch loaders for boards and their companies (one query per page, not per item). */
@Injectable()
export class BoardLoaders {
  constructor(
    private readonly boards: BoardsService,
    private readonly companies: CompaniesService,
  ) {}

  boardById(req: object): DataLoader<string, BoardEntity | null> {
    return requestLoader(req, 'board-by-id', async (ids: readonly string[]) =>
      byKeys(ids, await this.boards.byIds(ids), (b) => b.id, null),
    );
  }

  companyById(req: object): DataLoader<string, Company | null> {
    return requestLoader(req, 'company-by-id', async (ids: readonly string[]) =>
      byKeys(ids, (await this.companies.byIds(ids)).map(toCompanyModel), (c) => c.id, null),
    );
  }
}
