import { Injectable } from '@nestjs/common';
import { NodeRegistry, RegisteredNodeSource } from '../infrastructure/graphql/nodes/node-registry';
import { toCompanyModel } from './company.mapper';
import { CompaniesService } from './companies.service';

/** `node(id:)` for companies: public information, as `companies`. */
@Injectable()
export class CompanyNodeSource extends RegisteredNodeSource {
  readonly typeName = 'Company';

  constructor(
    registry: NodeRegistry,
    private readonly companies: CompaniesService,
  ) {
    super(registry);
  }

  async find(id: string): Promise<object | null> {
    const [company] = await this.companies.byIds([id]);
    return company === undefined ? null : toCompanyModel(company);
  }
}
