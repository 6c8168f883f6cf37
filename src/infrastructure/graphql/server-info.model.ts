import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'What a client needs to know about this server before signing in.' })
export class ServerInfo {
  @Field({ description: 'Server version (package version).' })
  version!: string;

  @Field({ description: 'Whether visitors (signed out) may read public boards.' })
  publicRead!: boolean;

  @Field({ description: 'Jurisdiction applied to visitors when no trusted header says otherwise.' })
  defaultJurisdiction!: string;

  @Field({ description: 'When this server process started (rounded to the minute).' })
  startedAt!: Date;
}
