import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  MEMBER = 'MEMBER',
  MODERATOR = 'MODERATOR',
  COMPLIANCE_OFFICER = 'COMPLIANCE_OFFICER',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, { name: 'Role' });

/** Roles that are granted explicitly (MEMBER is implied by having an account). */
export const GRANTABLE_ROLES: readonly Role[] = [
  Role.MODERATOR,
  Role.COMPLIANCE_OFFICER,
  Role.ADMIN,
];
