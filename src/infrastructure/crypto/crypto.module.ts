import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CursorCipher } from './cursor-cipher';
import { KeyRing, keyRingFor } from './key-ring';

@Global()
@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [AppConfig],
      useFactory: keyRingFor,
    },
    CursorCipher,
  ],
  exports: [KeyRing, CursorCipher],
})
export class CryptoModule {}
