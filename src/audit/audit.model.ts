import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Role } from '../infrastructure/auth/role';
import { PageInfo } from '../infrastructure/graphql/page-info.model';

@ObjectType({ description: 'One audit entry (compliance officers and admins).' })
export class AuditEntry {
  @Field(() => ID, { description: 'The entry id.' })
  id!: string;

  @Field({ description: 'When it was recorded.' })
  at!: Date;

  @Field({ description: 'A staff handle, "A member" or "Operator CLI": never an account.' })
  actorHandle!: string;

  @Field(() => Role, { description: 'The role the actor acted in.' })
  actorRole!: Role;

  @Field({ description: 'What was done, e.g. `ruleSet.publish`, `role.grant`, `review.decide`.' })
  action!: string;

  @Field({
    description: 'What it was done to, as `kind:id`, e.g. `company:<id>` or `staff:<handle>`.',
  })
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

@ObjectType({ description: 'One audit entry of a page, with its cursor.' })
export class AuditEntryEdge {
  @Field({ description: 'Pass as `after` to continue after this entry.' })
  cursor!: string;

  @Field(() => AuditEntry, { description: 'The entry.' })
  node!: AuditEntry;
}

@ObjectType({ description: 'A page of the audit log (Relay cursor connection).' })
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge], { description: 'The entries of this page, newest first.' })
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The head of one chain: write it down elsewhere to detect a rewrite.' })
export class AuditChainHead {
  @Field({ description: 'Which chain: `identity` or `content`.' })
  log!: string;

  @Field(() => Int, { description: 'The position of its last entry.' })
  seq!: number;

  @Field({ description: 'The hash of its last entry.' })
  hash!: string;
}

@ObjectType({ description: 'The result of recomputing the audit chains (verifyAuditLog).' })
export class AuditVerification {
  @Field({ description: 'True when every entry of both chains checks out.' })
  ok!: boolean;

  @Field(() => Int, { description: 'How many entries were checked.' })
  checked!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The first entry that was edited, inserted or removed; null when ok.',
  })
  firstBadEntryId!: string | null;

  @Field(() => [AuditChainHead], { description: 'The head of each chain as it is now.' })
  heads!: AuditChainHead[];
}
