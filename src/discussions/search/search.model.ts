import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../infrastructure/graphql/page-info.model';
import { Thread } from '../threads/thread.model';

@ObjectType({ description: 'One search hit: a thread and where the words occur in it.' })
export class ThreadSearchEdge {
  @Field({ description: 'Pass as `after` to continue after this hit.' })
  cursor!: string;

  @Field(() => Thread, { description: 'The matching thread.' })
  node!: Thread;

  @Field({
    description:
      'Plain text: the first place in the body (else the title) where one of the words occurs, with some context; about 160 characters, `…` where cut.',
  })
  snippet!: string;
}

@ObjectType({ description: 'A page of search hits (Relay cursor connection).' })
export class ThreadSearchConnection {
  @Field(() => [ThreadSearchEdge], { description: 'The hits of this page, in order.' })
  edges!: ThreadSearchEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo!: PageInfo;
}
