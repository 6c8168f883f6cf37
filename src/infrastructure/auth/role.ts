import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  MEMBER = 'MEMBER',
  MODERATOR = 'MODERATOR',
  COMPLIANCE_OFFICER = 'COMPLIANCE_OFFICER',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description:
    'What an account may do beyond reading and posting. Roles other than MEMBER are granted by an admin.',
  valuesMap: {
    MEMBER: { description: 'Any signed-up account: reads, posts, votes and reports.' },
    MODERATOR: {
      description:
        'Works the review queue: decides held, flagged and reported posts and appeals, of every board or of one company (a scoped moderator).',
    },
    COMPLIANCE_OFFICER: {
      description:
        'Maintains the per-jurisdiction rule sets (drafts, tests, publishes: by default with a second officer) and reads the audit log and transparency report.',
    },
    ADMIN: {
      description:
        'Creates companies and boards, grants and revokes roles, scopes moderators; reads the audit log and transparency report.',
    },
  },
});

/** Roles that are granted explicitly (MEMBER is implied by having an account). */
export const GRANTABLE_ROLES: readonly Role[] = [
  Role.MODERATOR,
  Role.COMPLIANCE_OFFICER,
  Role.ADMIN,
];
