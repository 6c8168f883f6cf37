import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { TransparencyReportData } from './transparency-report.service';

@ObjectType({ description: 'One group of a count.' })
export class CountBy {
  @Field({
    description: 'What is counted: a jurisdiction code, an action, a decision or a reason.',
  })
  key!: string;

  @Field(() => Int, { description: 'How many.' })
  count!: number;
}

@ObjectType({
  description:
    'Counts over a window of whole UTC days (docs/transparency.md). Nothing in it identifies a person.',
})
export class TransparencyReport {
  @Field({ description: 'Start of the window counted: 00:00 UTC of the day of the `from` asked.' })
  from!: Date;

  @Field({
    description: 'End (excluded) of the window counted: the first 00:00 UTC at or after `to`.',
  })
  to!: Date;

  @Field(() => [CountBy], {
    description: 'Compliance actions (one per rule notice) per jurisdiction whose rule acted.',
  })
  byJurisdiction!: CountBy[];

  @Field(() => [CountBy], { description: 'Compliance actions per action (RuleAction).' })
  byAction!: CountBy[];

  @Field(() => [CountBy], {
    description:
      'Review items decided in the window per decision: APPROVE, REJECT, IGNORE; appeals as APPEAL:APPROVE (upheld) and APPEAL:REJECT (decision stands).',
  })
  byDecision!: CountBy[];

  @Field(() => [CountBy], { description: 'Reports made in the window per reason.' })
  byReportReason!: CountBy[];

  @Field(() => Float, {
    nullable: true,
    description:
      'Median seconds from entering the queue to the decision, over items decided in the window; null when none.',
  })
  medianSecondsToDecision!: number | null;
}

export function toTransparencyReportModel(report: TransparencyReportData): TransparencyReport {
  const counts = (list: TransparencyReportData['byAction']): CountBy[] =>
    list.map(({ key, count }) => ({ key, count }));
  return {
    from: report.from,
    to: report.to,
    byJurisdiction: counts(report.byJurisdiction),
    byAction: counts(report.byAction),
    byDecision: counts(report.byDecision),
    byReportReason: counts(report.byReportReason),
    medianSecondsToDecision: report.medianSecondsToDecision,
  };
}
