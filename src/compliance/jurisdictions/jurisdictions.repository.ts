import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { JurisdictionEntity, JurisdictionGroupMemberEntity } from './jurisdiction.entity';

/** The jurisdiction catalogue as stored (content store, seeded by migrations). */
@Injectable()
export class JurisdictionsRepository {
  constructor(@InjectDataSource(CONTENT_STORE) private readonly content: DataSource) {}

  /** Every jurisdiction, by code. */
  findAll(): Promise<JurisdictionEntity[]> {
    return this.content.getRepository(JurisdictionEntity).find({ order: { code: 'ASC' } });
  }

  /** Which jurisdiction belongs to which group (EU → DE, …), by group then member. */
  findGroupMembers(): Promise<JurisdictionGroupMemberEntity[]> {
    return this.content
      .getRepository(JurisdictionGroupMemberEntity)
      .find({ order: { groupCode: 'ASC', memberCode: 'ASC' } });
  }
}
