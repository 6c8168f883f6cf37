import { Query, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/auth.decorators';
import { PACKAGE_VERSION } from '../../common/project-root';
import { roundToMinute } from '../../common/time';
import { AppConfig } from '../config/app-config';
import { ServerInfo } from './server-info.model';

const STARTED_AT = roundToMinute(new Date());

@Resolver(() => ServerInfo)
export class ServerInfoResolver {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Query(() => ServerInfo, { description: 'Public facts about this server.' })
  serverInfo(): ServerInfo {
    return {
      version: PACKAGE_VERSION,
      publicRead: this.config.PUBLIC_READ,
      defaultJurisdiction: this.config.DEFAULT_JURISDICTION,
      startedAt: STARTED_AT,
    };
  }
}
