import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../identity/identity.module';
import { JurisdictionsResolver } from './jurisdictions/jurisdictions.resolver';
import { JurisdictionsService } from './jurisdictions/jurisdictions.service';
import { ActiveRuleSets } from './rule-sets/active-rule-sets.service';
import { RetroactiveApplierRegistry } from './rule-sets/retroactive-applier';
import { RuleSetLoaders } from './rule-sets/rule-set.loaders';
import { RuleSetsRepository } from './rule-sets/rule-sets.repository';
import { RuleSetsResolver } from './rule-sets/rule-sets.resolver';
import { RuleSetsService } from './rule-sets/rule-sets.service';

/**
 * Jurisdictions and their rule set versions (docs/compliance.md). Exports what content
 * features need: jurisdiction expansion, the compiled active rules, and the slot for the
 * retroactive applier.
 */
@Module({
  imports: [IdentityModule, AuditModule],
  providers: [
    JurisdictionsService,
    RuleSetsRepository,
    ActiveRuleSets,
    RetroactiveApplierRegistry,
    RuleSetsService,
    RuleSetLoaders,
    JurisdictionsResolver,
    RuleSetsResolver,
  ],
  exports: [JurisdictionsService, ActiveRuleSets, RetroactiveApplierRegistry],
})
export class ComplianceModule {}
