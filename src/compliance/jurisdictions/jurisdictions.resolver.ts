import { Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ForbiddenException, UnauthenticatedException } from '../../common/errors';
import { CurrentPrincipal, Public } from '../../infrastructure/auth/auth.decorators';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { markStaffOperation } from '../../infrastructure/metrics/staff-operations';
import { RuleSetLoaders } from '../rule-sets/rule-set.loaders';
import { toRuleSetVersionModel } from '../rule-sets/rule-set.mapper';
import { RuleSetVersion } from '../rule-sets/rule-set.model';
import { RuleSetsService } from '../rule-sets/rule-sets.service';
import { Jurisdiction } from './jurisdiction.model';
import { JurisdictionsService, type KnownJurisdiction } from './jurisdictions.service';

const toJurisdictionModel = (j: KnownJurisdiction): Jurisdiction => ({
  code: j.code,
  name: j.name,
  members: [...j.members],
});

/**
 * Field resolvers do not run the global guard, so the officer-only fields check the role
 * themselves: a visitor gets UNAUTHENTICATED, anyone else without the role FORBIDDEN. Like the
 * guard, they mark the request as a staff operation for the metrics.
 */
function requireOfficer(req: object, principal: Principal | undefined): void {
  markStaffOperation(req);
  if (principal === undefined) throw new UnauthenticatedException();
  if (!principal.roles.has(Role.COMPLIANCE_OFFICER)) {
    throw new ForbiddenException('Only compliance officers may read rule sets.');
  }
}

@Resolver(() => Jurisdiction)
export class JurisdictionsResolver {
  constructor(
    private readonly catalogue: JurisdictionsService,
    private readonly versions: RuleSetsService,
    private readonly loaders: RuleSetLoaders,
  ) {}

  @Public()
  @Query(() => [Jurisdiction], {
    description:
      'Every jurisdiction, by code, then subdivisions that have rule sets. activeRuleSet and ruleSets need COMPLIANCE_OFFICER.',
  })
  async jurisdictions(): Promise<Jurisdiction[]> {
    const subdivisions = (await this.versions.subdivisionsWithVersions()).flatMap((code) => {
      const known = this.catalogue.find(code);
      return known === null ? [] : [known];
    });
    return [...this.catalogue.list(), ...subdivisions].map(toJurisdictionModel);
  }

  @ResolveField(() => RuleSetVersion, {
    nullable: true,
    description: 'The version in force; null when none was published. COMPLIANCE_OFFICER only.',
  })
  async activeRuleSet(
    @Parent() jurisdiction: Jurisdiction,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<RuleSetVersion | null> {
    requireOfficer(req, principal);
    const versions = await this.loaders.versionsOf(req).load(jurisdiction.code);
    const active = versions.find((v) => v.status === 'ACTIVE');
    return active === undefined ? null : toRuleSetVersionModel(active);
  }

  @ResolveField(() => [RuleSetVersion], {
    description: 'Every version, newest first. COMPLIANCE_OFFICER only.',
  })
  async ruleSets(
    @Parent() jurisdiction: Jurisdiction,
    @Context('req') req: object,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<RuleSetVersion[]> {
    requireOfficer(req, principal);
    return (await this.loaders.versionsOf(req).load(jurisdiction.code)).map(toRuleSetVersionModel);
  }
}
