import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE } from '../infrastructure/database/stores';
import { TransparencyReportService } from './transparency-report.service';
import { TransparencyResolver } from './transparency.resolver';

/**
 * The transparency report (SPEC §6, docs/transparency.md). Its counters are incremented by
 * compliance enforcement (ComplianceCounters, src/compliance/enforcement); it only reads them, review items and reports.
 */
@Module({
  providers: [
    {
      provide: TransparencyReportService,
      inject: [getDataSourceToken(CONTENT_STORE)],
      useFactory: (content: DataSource) => new TransparencyReportService(content),
    },
    TransparencyResolver,
  ],
})
export class TransparencyModule {}
