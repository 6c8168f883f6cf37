import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { KeyRing, keyRingFor } from './key-ring';

@Global()
@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [AppConfig],
      useFactory: keyRingFor,
    },
  ],
  exports: [KeyRing],
})
export class CryptoModule {}
