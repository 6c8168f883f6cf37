import { Type } from 'class-transformer';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsDate, IsOptional, IsString } from 'class-validator';
import { Node } from '../../infrastructure/graphql/nodes/node.model';

@ObjectType({ description: 'One answer of a poll, with its count when the viewer may see it.' })
export class PollOption {
  @Field(() => ID, { description: 'Pass in `votePoll(optionIds:)`.' })
  id!: string;

  @Field({ description: 'The answer as the author wrote it.' })
  text!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'People who chose it. Null until you voted or the poll closed, and for everyone while fewer than POLL_RESULTS_MIN_VOTERS people have voted.',
  })
  votes!: number | null;
}

@ObjectType({ implements: () => [Node], description: "A thread's poll." })
export class Poll {
  @Field(() => ID, { description: 'The stable id (a Node id).' })
  id!: string;

  @Field({ description: 'The question asked.' })
  question!: string;

  @Field(() => [PollOption], { description: 'In the order the author gave them.' })
  options!: PollOption[];

  @Field({ description: 'Whether a vote may choose several options.' })
  multipleChoice!: boolean;

  @Field(() => Date, { nullable: true, description: 'When voting ends; null: open.' })
  closesAt!: Date | null;

  @Field({ description: 'Voting has ended (closesAt has passed).' })
  closed!: boolean;

  @Field(() => Int, { description: 'People who voted (each once, whatever they chose).' })
  totalVotes!: number;

  @Field(() => [ID], {
    nullable: true,
    description: 'The options you chose; null when you have not voted (or are not signed in).',
  })
  viewerChoice!: string[] | null;
}

@InputType({ description: 'A poll to create with a thread.' })
export class PollInput {
  @Field({ description: '1–300 characters.' })
  @IsString()
  question!: string;

  @Field(() => [String], {
    description: '2–10 options of 1–100 characters each, no two the same (ignoring case).',
  })
  @IsArray()
  @IsString({ each: true })
  options!: string[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'True to let a vote choose several options.',
  })
  @IsOptional()
  @IsBoolean()
  multipleChoice?: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When voting ends: in the future, at most a year ahead. Null: open.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  closesAt?: Date | null;
}
