import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RetroactiveRunStatus {
  RUNNING = 'RUNNING',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
}
registerEnumType(RetroactiveRunStatus, {
  name: 'RetroactiveRunStatus',
  description:
    'RUNNING → FINISHED (every post scanned); FAILED: stopped by an error, resumed at the next start.',
});

@ObjectType({
  description:
    'The run applying a version published with applyRetroactively to past posts (docs/compliance.md, "Retroactive runs"). Updated as each batch commits.',
})
export class RetroactiveRun {
  @Field(() => ID, { description: "The run's id: the version's." })
  id!: string;

  @Field(() => RetroactiveRunStatus)
  status!: RetroactiveRunStatus;

  @Field(() => Int, {
    description:
      'Posts to scan: those scanned plus the published posts not reached yet (threads, then comments); when finished, those scanned.',
  })
  total!: number;

  @Field(() => Int, { description: 'Posts re-evaluated so far.' })
  scanned!: number;

  @Field(() => Int, {
    description:
      'Posts the run held, flagged or withheld: the meaning ImpactPreview.changed shares.',
  })
  changed!: number;

  @Field()
  startedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it finished or failed; null while running.',
  })
  finishedAt!: Date | null;
}
