import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Thread } from '../threads/thread.model';

@ObjectType()
export class ThreadSearchEdge {
  @Field()
  cursor!: string;

  @Field(() => Thread)
  node!: Thread;

  @Field({
    description:
      'Plain text: the first place in the body (else the title) where one of the words occurs, with some context; about 160 characters, `…` where cut.',
  })
  snippet!: string;
}

@ObjectType()
export class ThreadSearchConnection {
  @Field(() => [ThreadSearchEdge])
  edges!: ThreadSearchEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
