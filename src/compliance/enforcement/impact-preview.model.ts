import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RuleAction } from '../notices/compliance-notice.model';

@ObjectType({ description: 'A past post whose outcome the previewed version would change.' })
export class ImpactSample {
  @Field(() => ID, { description: 'The thread or comment (`Thread.id`, `Comment.id`).' })
  contentId!: string;

  @Field({ description: 'The post as stored (title and body, shortened).' })
  before!: string;

  @Field({ description: 'What the version would do: its outcome, then the text as it would show.' })
  after!: string;
}

@ObjectType({ description: 'How many changed posts one action would be taken on.' })
export class ActionCount {
  @Field(() => RuleAction, { description: 'The action.' })
  action!: RuleAction;

  @Field(() => Int, { description: 'How many changed posts it would be taken on.' })
  count!: number;
}

@ObjectType({
  description:
    'What publishing a version would change on past posts (the board’s jurisdiction governing).',
})
export class ImpactPreview {
  @Field(() => Int, { description: 'Posts checked: those created since `since`, at most `limit`.' })
  scanned!: number;

  @Field(() => Int, {
    description:
      'Posts a retroactive run of the version would change (hold, flag or withhold): the meaning RetroactiveRun.changed shares.',
  })
  changed!: number;

  @Field({ description: 'True when the scan stopped at `limit` before the newest post.' })
  truncated!: boolean;

  @Field(() => [ActionCount], {
    description: 'Changed posts per action the version’s rules would take on them.',
  })
  byAction!: ActionCount[];

  @Field(() => [ImpactSample], { description: 'Up to 20 changed posts, oldest first.' })
  samples!: ImpactSample[];
}
