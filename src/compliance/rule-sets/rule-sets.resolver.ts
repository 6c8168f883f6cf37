import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { BoardKind } from '../../boards/board.model';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { RuleInput } from './rule-set.input';
import { toRuleModel, toRuleSetVersionModel, toRuleTestResultModel } from './rule-set.mapper';
import { Rule, RuleSetDiff, RuleSetVersion, RuleTestResult } from './rule-set.model';
import { diffRules } from './rule-set-diff';
import { RuleSetLoaders } from './rule-set.loaders';
import { RuleSetsService } from './rule-sets.service';

/** Rule set versions: COMPLIANCE_OFFICER only (docs/compliance.md, "Rule set versions"). */
@Roles(Role.COMPLIANCE_OFFICER)
@Resolver(() => RuleSetVersion)
export class RuleSetsResolver {
  constructor(
    private readonly service: RuleSetsService,
    private readonly loaders: RuleSetLoaders,
  ) {}

  @Query(() => RuleSetVersion, {
    nullable: true,
    description: 'Compliance officers only. A rule set version by id.',
  })
  async ruleSet(
    @Args('id', { type: () => ID, description: 'The version (`RuleSetVersion.id`).' }) id: string,
  ): Promise<RuleSetVersion | null> {
    const version = await this.service.version(id);
    return version === null ? null : toRuleSetVersionModel(version);
  }

  @Query(() => RuleTestResult, {
    description:
      "Compliance officers only. Runs a version (a draft or a published one) on sample text, the version's own jurisdiction governing.",
  })
  async testRules(
    @Args('ruleSetId', { type: () => ID, description: 'The version to run (`RuleSetVersion.id`).' })
    ruleSetId: string,
    @Args('text', { description: 'The sample text: at most 20,000 characters.' }) text: string,
    @Args('boardKind', {
      type: () => BoardKind,
      nullable: true,
      defaultValue: BoardKind.PUBLIC,
      description: 'The kind of board to suppose the text is posted on.',
    })
    boardKind: BoardKind | null,
  ): Promise<RuleTestResult> {
    return toRuleTestResultModel(
      await this.service.test(ruleSetId, text, boardKind ?? BoardKind.PUBLIC),
    );
  }

  @Mutation(() => RuleSetVersion, {
    description:
      "Compliance officers only. A new draft for the jurisdiction, with a copy of the active version's rules unless copyActive is false. CONFLICT when the jurisdiction already has a draft.",
  })
  async createRuleSetDraft(
    @Args('jurisdiction', { description: 'The jurisdiction code, e.g. DE or US-CA.' })
    jurisdiction: string,
    @Args('copyActive', {
      type: () => Boolean,
      nullable: true,
      defaultValue: true,
      description: "True to start from the active version's rules, false to start empty.",
    })
    copyActive: boolean | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RuleSetVersion> {
    return toRuleSetVersionModel(
      await this.service.createDraft(principal, jurisdiction, copyActive ?? true),
    );
  }

  @Mutation(() => Rule, {
    description:
      'Compliance officers only. Adds a rule at the end of a draft. The rule is compiled first.',
  })
  async addRule(
    @Args('ruleSetId', { type: () => ID, description: 'The draft (`RuleSetVersion.id`).' })
    ruleSetId: string,
    @Args('input', { description: 'The new rule.' }) input: RuleInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Rule> {
    return toRuleModel(await this.service.addRule(principal, ruleSetId, input));
  }

  @Mutation(() => Rule, {
    description:
      'Compliance officers only. Replaces a rule of a draft. The rule is compiled first.',
  })
  async updateRule(
    @Args('ruleId', { type: () => ID, description: 'The rule of a draft (`Rule.id`).' })
    ruleId: string,
    @Args('input', { description: 'The rule as it should be.' }) input: RuleInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Rule> {
    return toRuleModel(await this.service.updateRule(principal, ruleId, input));
  }

  @Mutation(() => Boolean, {
    description: 'Compliance officers only. Removes a rule from a draft.',
  })
  async removeRule(
    @Args('ruleId', { type: () => ID, description: 'The rule of a draft (`Rule.id`).' })
    ruleId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<boolean> {
    await this.service.removeRule(principal, ruleId);
    return true;
  }

  @Mutation(() => RuleSetVersion, {
    description:
      'Compliance officers only. Makes a draft the active version of its jurisdiction (the previous one becomes SUPERSEDED). With COMPLIANCE_FOUR_EYES, not by its last editor.',
  })
  async publishRuleSet(
    @Args('ruleSetId', { type: () => ID, description: 'The draft (`RuleSetVersion.id`).' })
    ruleSetId: string,
    @Args('applyRetroactively', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description:
        'True to also re-evaluate existing content under the new rules, in batches (a retroactive run).',
    })
    applyRetroactively: boolean | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RuleSetVersion> {
    return toRuleSetVersionModel(
      await this.service.publish(principal, ruleSetId, applyRetroactively ?? false),
    );
  }

  @Mutation(() => RuleSetVersion, {
    description:
      "Compliance officers only. Restores an older published version's rules. With COMPLIANCE_FOUR_EYES: returns a new DRAFT copying them (rollbackOf set, you its last editor) that another officer publishes; CONFLICT when the jurisdiction has a draft. Without four eyes, or with emergency and a reason: returns a new ACTIVE version at once.",
  })
  async rollbackRuleSet(
    @Args('jurisdiction', { description: 'The jurisdiction code, e.g. DE or US-CA.' })
    jurisdiction: string,
    @Args('toVersion', {
      type: () => Int,
      description: 'The published version whose rules to restore (`RuleSetVersion.version`).',
    })
    toVersion: number,
    @CurrentPrincipal() principal: Principal,
    @Args('emergency', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description:
        'Publish at once even under four eyes (audited as ruleSet.emergencyRollback); needs a reason.',
    })
    emergency: boolean | null,
    @Args('reason', {
      type: () => String,
      nullable: true,
      description:
        'Why: required with emergency, kept in the audit entry; at most 1,000 characters.',
    })
    reason: string | null,
  ): Promise<RuleSetVersion> {
    return toRuleSetVersionModel(
      await this.service.rollback(principal, jurisdiction, toVersion, {
        emergency: emergency ?? false,
        reason: reason ?? null,
      }),
    );
  }

  @ResolveField(() => [Rule], { description: 'The rules, in order.' })
  async rules(@Parent() version: RuleSetVersion, @Context('req') req: object): Promise<Rule[]> {
    return (await this.loaders.rulesOf(req).load(version.id)).map(toRuleModel);
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether you made the last change: under the four-eyes rule you cannot publish this draft.',
  })
  lastEditedByViewer(
    @Parent() version: RuleSetVersion,
    @CurrentPrincipal() principal?: Principal,
  ): boolean {
    return principal !== undefined && this.service.isLastEditorToken(principal, version.lastEditor);
  }

  @ResolveField(() => RuleSetDiff, {
    description:
      "This version's rules against the jurisdiction's active version (rules paired by name): a rule copied into a draft unchanged is neither added nor changed. Empty for the active version; every rule added when the jurisdiction has none.",
  })
  async diff(@Parent() version: RuleSetVersion, @Context('req') req: object): Promise<RuleSetDiff> {
    const versions = await this.loaders.versionsOf(req).load(version.jurisdiction);
    const active = versions.find((v) => v.status === 'ACTIVE');
    const [activeRules, rules] = await Promise.all([
      active === undefined ? [] : this.loaders.rulesOf(req).load(active.id),
      this.loaders.rulesOf(req).load(version.id),
    ]);
    const diff = diffRules(active?.id === version.id ? rules : activeRules, rules);
    return {
      added: diff.added.map(toRuleModel),
      removed: diff.removed.map(toRuleModel),
      changed: diff.changed.map((c) => ({
        before: toRuleModel(c.before),
        after: toRuleModel(c.after),
      })),
    };
  }
}
