import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Role } from '../infrastructure/auth/role';
import { PageInfo } from '../infrastructure/graphql/page-info.model';

@ObjectType({ description: 'One audit entry (compliance officers and admins).' })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field({ description: 'A staff handle, "A member" or "Operator CLI": never an account.' })
  actorHandle!: string;

  @Field(() => Role)
  actorRole!: Role;

  @Field()
  action!: string;

  @Field()
  subject!: string;

  @Field({ description: 'JSON: the facts of the change, before/after where it applies.' })
  detail!: string;

  @Field(() => GraphQLJSONObject, {
    description: '`detail` parsed: the facts of the change as an object (same content).',
  })
  details!: Record<string, unknown>;

  @Field({ description: 'SHA-256 over the previous entry’s hash and this entry.' })
  hash!: string;

  @Field({ description: 'Which chain: `identity` (roles, companies, scopes) or `content`.' })
  log!: string;

  @Field(() => Int, { description: 'Position in its chain.' })
  seq!: number;
}

@ObjectType()
export class AuditEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The head of one chain: write it down elsewhere to detect a rewrite.' })
export class AuditChainHead {
  @Field()
  log!: string;

  @Field(() => Int)
  seq!: number;

  @Field()
  hash!: string;
}

@ObjectType()
export class AuditVerification {
  @Field()
  ok!: boolean;

  @Field(() => Int)
  checked!: number;

  @Field(() => ID, { nullable: true })
  firstBadEntryId!: string | null;

  @Field(() => [AuditChainHead])
  heads!: AuditChainHead[];
}
