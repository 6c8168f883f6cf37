import { Field, ObjectType } from '@nestjs/graphql';
import { Company } from '../../companies/company.model';
import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import { Membership } from '../memberships/membership.model';

@ObjectType({ description: 'The signed-in person, as seen by themself only.' })
export class Viewer {
  @Field(() => [Role], { description: 'Your roles; MEMBER always, staff roles when granted.' })
  roles!: Role[];

  @Field({
    description:
      'The jurisdiction whose rules apply to what you read and post, as a code (US, DE, CN, US-CA).',
  })
  jurisdiction!: string;

  @Field(() => [Membership], {
    description: 'The employers you verified, current and former; seen by you only.',
  })
  memberships!: Membership[];

  @Field({ description: 'When the account was created: the UTC day (00:00), no finer.' })
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Your stable staff handle, used in audit entries and review history (staff only).',
  })
  staffHandle!: string | null;

  @Field(() => Company, {
    nullable: true,
    description:
      'The company whose board you moderate; null when you moderate every board or are not a moderator.',
  })
  moderatorScope!: Company | null;

  /**
   * Not a GraphQL field. The principal this Viewer is of when the request carries none: the
   * Session that signUp, signIn and resetPassword answer with is of a session the request did
   * not send, and its Viewer's fields (own threads, ...) are that session's.
   */
  principal?: Principal;
}

@ObjectType({ description: 'A signed-in session: its bearer token and who it belongs to.' })
export class Session {
  @Field({ description: 'Send as `Authorization: Bearer <token>`. Shown once; keep it secret.' })
  token!: string;

  @Field({
    description:
      'When the token stops working (a UTC midnight, SESSION_TTL_DAYS after sign-in); sign in again after.',
  })
  expiresAt!: Date;

  @Field(() => Viewer, { description: 'The account the session is of.' })
  viewer!: Viewer;
}
