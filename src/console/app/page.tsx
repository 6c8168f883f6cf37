import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * One console page: sets the document title and moves focus to the heading when the page
 * opens, so keyboard and screen-reader users land at the start of the new content.
 */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Staff console`;
    heading.current?.focus();
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions !== undefined && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** Shown while the first answer of a page is on its way. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="muted" role="status">
      {what}…
    </p>
  );
}

/** A date and time in the reader's locale, with the exact instant as a tooltip. */
export function When({ at }: { at: string | null | undefined }) {
  if (at === null || at === undefined) return <span class="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={date.toISOString()}>
      {date.toLocaleString()}
    </time>
  );
}
