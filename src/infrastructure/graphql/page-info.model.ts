import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PAGE_MAX } from '../../common/opaque-cursor';

/** The `first` argument of a forward cursor connection. */
export const FIRST_ARG = {
  type: () => Int,
  description: `How many items to return: 1 to ${PAGE_MAX}.`,
};

/** The `after` argument of a forward cursor connection. */
export const AFTER_ARG = {
  type: () => String,
  nullable: true,
  description:
    'The `endCursor` of the previous page, asked with the same other arguments; omitted for the first page.',
};

@ObjectType({ description: 'Relay page information of a cursor connection.' })
export class PageInfo {
  @Field({
    description: 'True when more items follow this page: ask again with `after: endCursor`.',
  })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null when the page is empty.',
  })
  endCursor!: string | null;

  @Field({
    description:
      'Connections page forward only (`first`/`after`): true when the page was asked for `after` a cursor, so items came before it.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The first edge's cursor; null when the page is empty.",
  })
  startCursor!: string | null;
}

/**
 * The PageInfo of a forward page: `items` in page order (their cursors are read only when the
 * field is asked for, as cursors are sealed lazily), `after` the cursor the page was asked
 * for. `endCursor` may be given when the page's end is not its last item's cursor.
 */
export function pageInfoOf(
  items: readonly { readonly cursor: string }[],
  hasNextPage: boolean,
  after: string | null | undefined,
  endCursor?: () => string | null,
): PageInfo {
  const info = { hasNextPage, hasPreviousPage: after != null && after !== '' } as PageInfo;
  Object.defineProperty(info, 'startCursor', {
    get: () => items[0]?.cursor ?? null,
    enumerable: true,
  });
  Object.defineProperty(info, 'endCursor', {
    get: endCursor ?? (() => items.at(-1)?.cursor ?? null),
    enumerable: true,
  });
  return info;
}
