import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node } from '../infrastructure/graphql/nodes/node.model';

export enum BoardKind {
  COMPANY = 'COMPANY',
  PUBLIC = 'PUBLIC',
}
registerEnumType(BoardKind, {
  name: 'BoardKind',
  description: 'Whose board it is.',
  valuesMap: {
    COMPANY: { description: "A company's board: readable by its current verified members only." },
    PUBLIC: { description: 'A public topic board, such as `compensation`.' },
  },
});

@ObjectType({
  implements: () => [Node],
  description:
    "A place to post: a company's board (its current verified members only) or a public topic board.",
})
export class Board {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field({ description: 'The short name in addresses, e.g. `compensation`.' })
  slug!: string;

  @Field({ description: 'The display name.' })
  name!: string;

  @Field(() => BoardKind, { description: 'A company board or a public one.' })
  kind!: BoardKind;

  @Field({ description: 'Jurisdiction whose rules apply (a company board takes its company’s).' })
  jurisdiction!: string;

  /** Resolved by `company`; not a GraphQL field itself. */
  companyId!: string | null;
}
