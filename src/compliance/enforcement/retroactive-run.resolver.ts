import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Roles } from '../../infrastructure/auth/auth.decorators';
import { Role } from '../../infrastructure/auth/role';
import { RuleSetVersion } from '../rule-sets/rule-set.model';
import { RetroactiveRunsRepository } from './retroactive-runs.repository';
import { RetroactiveEnforcement } from './retroactive-enforcement.service';
import { RetroactiveRun, RetroactiveRunStatus } from './retroactive-run.model';

const STATUS = {
  RUNNING: RetroactiveRunStatus.RUNNING,
  DONE: RetroactiveRunStatus.FINISHED,
  FAILED: RetroactiveRunStatus.FAILED,
} as const;

/** `RuleSetVersion.retroactiveRun`: COMPLIANCE_OFFICER only, as the version is. */
@Roles(Role.COMPLIANCE_OFFICER)
@Resolver(() => RuleSetVersion)
export class RetroactiveRunResolver {
  constructor(
    private readonly runs: RetroactiveRunsRepository,
    private readonly enforcement: RetroactiveEnforcement,
  ) {}

  @ResolveField(() => RetroactiveRun, {
    nullable: true,
    description:
      'The run applying this version to past posts; null unless it was published with applyRetroactively (or the run has not been recorded yet).',
  })
  async retroactiveRun(@Parent() version: RuleSetVersion): Promise<RetroactiveRun | null> {
    const run = await this.runs.findByRuleSet(version.id);
    if (run === null) return null;
    return {
      id: run.ruleSetId,
      status: STATUS[run.status],
      total: await this.enforcement.total(run),
      scanned: run.scanned,
      changed: run.changed,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
    };
  }
}
