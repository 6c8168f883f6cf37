import { registerEnumType } from '@nestjs/graphql';

/** Lifecycle of a thread or comment. Only PUBLISHED content appears in feeds. */
export enum ContentStatus {
  PUBLISHED = 'PUBLISHED',
  HELD = 'HELD',
  REJECTED = 'REJECTED',
  REMOVED = 'REMOVED',
  DELETED = 'DELETED',
}
registerEnumType(ContentStatus, {
  name: 'ContentStatus',
  description: 'Where a thread or comment is in its life. Only PUBLISHED content appears in feeds.',
  valuesMap: {
    PUBLISHED: { description: "Visible (unless withheld in the viewer's jurisdiction)." },
    HELD: {
      description:
        'Saved but not shown until a moderator decides: held by a HOLD rule, or hidden by reports.',
    },
    REJECTED: { description: 'A moderator refused a held post; it was never shown.' },
    REMOVED: { description: 'Taken down by a moderator after it was shown.' },
    DELETED: { description: 'Deleted by its author; its text is erased.' },
  },
});

/**
 * What a post deleted by its author keeps of its text: nothing. Written with the DELETED
 * status in the same statement; the API shows a deleted post empty as it always did.
 */
export const ERASED_THREAD = { title: '', body: '' } as const;
export const ERASED_COMMENT = { body: '' } as const;
