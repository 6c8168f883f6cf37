import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { validationPipe } from './common/validation-pipe';
import { APP_PIPE } from '@nestjs/core';
import { BoardsModule } from './boards/boards.module';
import { CompaniesModule } from './companies/companies.module';
import { ComplianceModule } from './compliance/compliance.module';
import { DiscussionsModule } from './discussions/discussions.module';
import { IdentityModule } from './identity/identity.module';
import { ModerationModule } from './moderation/moderation.module';
import { TransparencyModule } from './transparency/transparency.module';
import { AppConfig } from './infrastructure/config/app-config';
import { ConfigModule } from './infrastructure/config/config.module';
import { CryptoModule } from './infrastructure/crypto/crypto.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { STORE_ENTITIES } from './store-entities';
import { GraphqlModule } from './infrastructure/graphql/graphql.module';
import { NodesModule } from './infrastructure/graphql/nodes/nodes.module';
import { HealthModule } from './infrastructure/health/health.module';
import { LoggingModule } from './infrastructure/logging/logging.module';
import { DomainEventsModule } from './infrastructure/events/domain-events.module';
import { PubSubModule } from './infrastructure/events/pub-sub.module';
import { MailModule } from './infrastructure/mail/mail.module';
import { MetricsModule } from './infrastructure/metrics/metrics.module';
import { RateLimitModule } from './infrastructure/rate-limit/rate-limit.module';
import { RedisModule } from './infrastructure/redis/redis.module';

export { validationPipe };

@Module({})
export class AppModule {
  /**
   * The whole application for a validated config. `extra` lets tests add modules (e.g. a
   * probe resolver); production passes nothing.
   */
  static forRoot(config: AppConfig, extra: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        CryptoModule,
        DatabaseModule.forRoot(STORE_ENTITIES),
        MetricsModule,
        RedisModule,
        RateLimitModule,
        HealthModule,
        MailModule,
        PubSubModule,
        DomainEventsModule,
        GraphqlModule,
        NodesModule,
        IdentityModule,
        CompaniesModule,
        BoardsModule,
        DiscussionsModule,
        ComplianceModule,
        ModerationModule,
        TransparencyModule,
        ...extra,
      ],
      providers: [{ provide: APP_PIPE, useValue: validationPipe }],
    };
  }
}
