import { Module } from '@nestjs/common';
import { CompaniesRepository } from './companies.repository';
import { CompaniesResolver } from './companies.resolver';
import { CompanyNodeSource } from './company-node-source';
import { CompaniesService } from './companies.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule],
  providers: [CompaniesRepository, CompaniesService, CompaniesResolver, CompanyNodeSource],
  exports: [CompaniesService],
})
export class CompaniesModule {}
