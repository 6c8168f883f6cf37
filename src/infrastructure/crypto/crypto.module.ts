import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { KeyRing, loadOrCreateDevSecret } from './key-ring';

@Global()
@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new KeyRing(config.APP_SECRET ?? loadOrCreateDevSecret(config.DATA_DIR)),
    },
  ],
  exports: [KeyRing],
})
export class CryptoModule {}
