import {
  Args,
  Field,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { Module } from '@nestjs/common';
import { IsEmail, MaxLength } from 'class-validator';
import { AppException, ErrorCode } from '../../src/common/errors';
import { Public } from '../../src/infrastructure/auth/auth.decorators';

/** Counts resolver calls, so tests can show a refused request never reached a resolver. */
export const probeCalls = { count: 0 };

@InputType()
class ProbeInput {
  @Field()
  @IsEmail({}, { message: 'address must be an email address' })
  address!: string;

  @Field()
  @MaxLength(5, { message: 'note must be at most 5 characters' })
  note!: string;
}

/** A recursive type, so a client can write an arbitrarily deep query. */
@ObjectType()
class ProbeNode {
  @Field()
  name!: string;

  @Field(() => ProbeNode, { nullable: true })
  child?: ProbeNode;
}

/** A test-only resolver exercising the error mapping, limits and graceful shutdown. */
@Public()
@Resolver()
class ProbeResolver {
  @Query(() => String)
  probe(@Args('mode', { defaultValue: 'ok' }) mode: string): string {
    probeCalls.count += 1;
    if (mode === 'app-error')
      throw new AppException(ErrorCode.CONFLICT, 'That was taken.', { hint: 'retry' });
    if (mode === 'crash') throw new Error('secret internal detail: db password hunter2');
    return 'ok';
  }

  @Query(() => ProbeNode)
  probeTree(): ProbeNode {
    probeCalls.count += 1;
    const root: ProbeNode = { name: 'root' };
    let node = root;
    for (let i = 0; i < 60; i++) node = node.child = { name: `n${i}` };
    return root;
  }

  @Query(() => String)
  async slow(@Args('ms', { type: () => Int }) ms: number): Promise<string> {
    probeCalls.count += 1;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'done';
  }

  @Mutation(() => String)
  probeInput(@Args('input') input: ProbeInput): string {
    probeCalls.count += 1;
    return input.address;
  }
}

@Module({ providers: [ProbeResolver] })
export class ProbeModule {}
