import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../../infrastructure/auth/auth.decorators';
import { Role } from '../../infrastructure/auth/role';
import { ImpactPreview } from './impact-preview.model';
import { ImpactPreviewService, PREVIEW_MAX } from './impact-preview.service';

@Resolver()
@Roles(Role.COMPLIANCE_OFFICER)
export class ImpactPreviewResolver {
  constructor(private readonly previews: ImpactPreviewService) {}

  @Query(() => ImpactPreview, {
    description: `What publishing the version would change on posts created since \`since\` (at most \`limit\`, 1–${PREVIEW_MAX}, oldest first). Compliance officers.`,
  })
  previewRuleSetImpact(
    @Args('ruleSetId', { type: () => ID, description: 'The version to preview, usually a draft.' })
    ruleSetId: string,
    @Args('since', { type: () => Date, description: 'Scan posts created from this time on.' })
    since: Date,
    @Args('limit', {
      type: () => Int,
      nullable: true,
      defaultValue: 10_000,
      description: `The most posts to scan: 1 to ${PREVIEW_MAX}.`,
    })
    limit: number | null,
  ): Promise<ImpactPreview> {
    return this.previews.preview(ruleSetId, since, limit ?? 10_000);
  }
}
