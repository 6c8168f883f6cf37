import { Module } from '@nestjs/common';
import { PseudonymService } from './pseudonym.service';

/**
 * Pseudonyms (thread handles, staff handles) on their own, so that modules below identity
 * (the audit trail names its actors by staff handle) share the one instance identity uses.
 */
@Module({
  providers: [PseudonymService],
  exports: [PseudonymService],
})
export class PseudonymsModule {}
