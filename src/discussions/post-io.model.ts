import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { ComplianceNotice } from '../compliance/notices/compliance-notice.model';
import { EmployerDisclosure } from '../identity/pseudonyms/employer-label';

/** Input fields every create-post mutation shares (CreateThreadInput, CreateCommentInput). */
@InputType({ isAbstract: true })
export abstract class CreatePostInput {
  @Field(() => EmployerDisclosure, {
    nullable: true,
    defaultValue: EmployerDisclosure.NONE,
    description:
      'How much of your employer to show; COMPANY falls back to INDUSTRY below k members.',
  })
  @IsOptional()
  @IsEnum(EmployerDisclosure)
  disclosure?: EmployerDisclosure;

  @Field({
    nullable: true,
    description: 'Idempotency key: retrying with the same value returns the first answer.',
  })
  @IsOptional()
  @IsString()
  clientMutationId?: string;
}

/** Payload fields every post mutation shares (ThreadPayload, CommentPayload). */
@ObjectType({ isAbstract: true })
export abstract class PostPayload {
  @Field(() => [ComplianceNotice], {
    description:
      'What jurisdiction rules did to the post (held, flagged, withheld somewhere, redacted), with the rule, legal basis and explanation; empty when nothing applied.',
  })
  notices!: ComplianceNotice[];

  @Field(() => String, {
    nullable: true,
    description: 'The `clientMutationId` of the input, as sent; null when none was.',
  })
  clientMutationId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Set when your employer label was lowered (e.g. COMPANY → INDUSTRY below the k-anonymity threshold), saying why.',
  })
  labelNotice!: string | null;
}
