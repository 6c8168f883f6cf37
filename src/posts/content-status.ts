import { registerEnumType } from '@nestjs/graphql';

/** Lifecycle of a thread or comment. Only PUBLISHED content appears in feeds. */
export enum ContentStatus {
  PUBLISHED = 'PUBLISHED',
  HELD = 'HELD',
  REJECTED = 'REJECTED',
  REMOVED = 'REMOVED',
  DELETED = 'DELETED',
}
registerEnumType(ContentStatus, { name: 'ContentStatus' });
