import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../identity/identity.module';
import { JurisdictionsResolver } from './jurisdictions/jurisdictions.resolver';
import { JurisdictionsRepository } from './jurisdictions/jurisdictions.repository';
import { JurisdictionsService } from './jurisdictions/jurisdictions.service';
import { ActiveRuleSets } from './rule-sets/active-rule-sets.service';
import { RuleSetLoaders } from './rule-sets/rule-set.loaders';
import { RuleSetsRepository } from './rule-sets/rule-sets.repository';
import { RuleSetsResolver } from './rule-sets/rule-sets.resolver';
import { RuleSetVersionNodeSource } from './rule-sets/rule-set-node-source';
import { RuleSetsService } from './rule-sets/rule-sets.service';

/**
 * Jurisdictions and their rule set versions (docs/compliance.md). Exports what content
 * features need: jurisdiction expansion and the compiled active rules. A retroactive
 * publication reaches the content side as a domain event (`ruleSet.publishedRetroactively`).
 */
@Module({
  imports: [IdentityModule, AuditModule],
  providers: [
    JurisdictionsRepository,
    JurisdictionsService,
    RuleSetsRepository,
    ActiveRuleSets,
    RuleSetsService,
    RuleSetLoaders,
    JurisdictionsResolver,
    RuleSetsResolver,
    RuleSetVersionNodeSource,
  ],
  exports: [JurisdictionsService, ActiveRuleSets],
})
export class ComplianceModule {}
