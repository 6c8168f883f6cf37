import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from '../infrastructure/graphql/nodes/node.model';

export enum BoardKind {
  COMPANY = 'COMPANY',
  PUBLIC = 'PUBLIC',
}
registerEnumType(BoardKind, { name: 'BoardKind' });

@ObjectType({
  implements: () => [Node],
  description:
    "A place to post: a company's board (its current verified members only) or a public topic board.",
})
export class Board {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field(() => BoardKind)
  kind!: BoardKind;

  @Field({ description: 'Jurisdiction whose rules apply (a company board takes its company’s).' })
  jurisdiction!: string;

  /** Resolved by `company`; not a GraphQL field itself. */
  companyId!: string | null;
}
