import { Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { requestLoader } from '../../infrastructure/graphql/request-loaders';
import type { RuleEntity } from './rule.entity';
import type { RuleSetVersionEntity } from './rule-set-version.entity';
import { RuleSetsService } from './rule-sets.service';

/** Request-scoped batch loaders: one query for the versions of every listed jurisdiction, one for the rules of every listed version. */
@Injectable()
export class RuleSetLoaders {
  constructor(private readonly service: RuleSetsService) {}

  /** All versions of a jurisdiction, newest first. */
  versionsOf(req: object): DataLoader<string, RuleSetVersionEntity[]> {
    return requestLoader(
      req,
      'rule-set-versions-by-jurisdiction',
      async (codes: readonly string[]) => {
        const rows = await this.service.versionsOf(codes);
        return codes.map((code) => rows.filter((v) => v.jurisdiction === code));
      },
    );
  }

  /** Rules of a version, in order. */
  rulesOf(req: object): DataLoader<string, RuleEntity[]> {
    return requestLoader(req, 'rules-by-rule-set', async (ids: readonly string[]) => {
      const rows = await this.service.rulesOf(ids);
      return ids.map((id) => rows.filter((r) => r.ruleSetId === id));
    });
  }
}
