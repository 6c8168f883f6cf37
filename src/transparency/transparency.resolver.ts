import { Args, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../infrastructure/auth/auth.decorators';
import { Role } from '../infrastructure/auth/role';
import { toTransparencyReportModel, TransparencyReport } from './transparency-report.model';
import { REPORT_MAX_DAYS, TransparencyReportService } from './transparency-report.service';

@Resolver()
export class TransparencyResolver {
  constructor(private readonly reports: TransparencyReportService) {}

  @Query(() => TransparencyReport, {
    description: `Counts of compliance actions, decisions and reports over [from, to), in whole UTC days (from rounded down, to up), at most ${REPORT_MAX_DAYS} days. Compliance officers and admins.`,
  })
  @Roles(Role.COMPLIANCE_OFFICER, Role.ADMIN)
  async transparencyReport(
    @Args('from', {
      type: () => Date,
      description: 'Start of the window (rounded down to 00:00 UTC).',
    })
    from: Date,
    @Args('to', {
      type: () => Date,
      description: 'End of the window, excluded (rounded up to 00:00 UTC).',
    })
    to: Date,
  ): Promise<TransparencyReport> {
    return toTransparencyReportModel(await this.reports.report(from, to));
  }
}
