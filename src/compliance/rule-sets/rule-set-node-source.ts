import { Injectable } from '@nestjs/common';
import { Role } from '../../infrastructure/auth/role';
import {
  type NodeViewer,
  NodeRegistry,
  RegisteredNodeSource,
} from '../../infrastructure/graphql/nodes/node-registry';
import { toRuleSetVersionModel } from './rule-set.mapper';
import { RuleSetsService } from './rule-sets.service';

/** `node(id:)` for rule set versions: compliance officers (as `ruleSet(id:)`). */
@Injectable()
export class RuleSetVersionNodeSource extends RegisteredNodeSource {
  readonly typeName = 'RuleSetVersion';

  constructor(
    registry: NodeRegistry,
    private readonly service: RuleSetsService,
  ) {
    super(registry);
  }

  async find(id: string, { principal }: NodeViewer): Promise<object | null> {
    if (principal === undefined || !principal.roles.has(Role.COMPLIANCE_OFFICER)) return null;
    const version = await this.service.version(id);
    return version === null ? null : toRuleSetVersionModel(version);
  }
}
