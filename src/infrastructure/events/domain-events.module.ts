import { Global, Module } from '@nestjs/common';
import { DomainEvents } from './domain-events';

/** The domain events (outbox, dispatch) every feature module may publish and handle. */
@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class DomainEventsModule {}
