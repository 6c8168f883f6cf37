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
  valuesMap: {
    RUNNING: { description: 'Scanning, batch by batch.' },
    FINISHED: { description: 'Every post was scanned.' },
    FAILED: {
      description: 'Stopped by an error; the run resumes when the server next starts.',
    },
  },
});

@ObjectType({
  description:
    'The run applying a version published with applyRetroactively to past posts (docs/compliance.md, "Retroactive runs"). Updated as each batch commits.',
})
export class RetroactiveRun {
  @Field(() => ID, { description: "The run's id: the version's." })
  id!: string;

  @Field(() => RetroactiveRunStatus, { description: 'Running, finished or failed.' })
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

  @Field({ description: 'When the run began, just after the version was published.' })
  startedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it finished or failed; null while running.',
  })
  finishedAt!: Date | null;
}
