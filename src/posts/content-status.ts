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

/**
 * What a post deleted by its author keeps of its text: nothing. Written with the DELETED
 * status in the same statement; the API shows a deleted post empty as it always did.
 */
export const ERASED_THREAD = { title: '', body: '' } as const;
export const ERASED_COMMENT = { body: '' } as const;
