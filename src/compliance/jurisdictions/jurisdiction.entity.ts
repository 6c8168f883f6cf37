import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type JurisdictionKind = 'COUNTRY' | 'GROUP';

/** A jurisdiction (content store): an ISO 3166-1 alpha-2 country or a group such as EU. */
@Entity({ name: 'jurisdictions' })
export class JurisdictionEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: JurisdictionKind;
}

/** Membership of a jurisdiction in a group (DE in EU). */
@Entity({ name: 'jurisdiction_group_members' })
export class JurisdictionGroupMemberEntity {
  @PrimaryColumn({ name: 'group_code', type: 'varchar', length: 16 })
  groupCode!: string;

  @Index('idx_jurisdiction_group_members_member')
  @PrimaryColumn({ name: 'member_code', type: 'varchar', length: 16 })
  memberCode!: string;
}
