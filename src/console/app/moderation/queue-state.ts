import { useEffect, useRef } from 'preact/hooks';
import type { QueueFilter, ReviewQueueOrder } from './api';

/**
 * The moderator's queue view (filters and order), kept in sessionStorage for the tab: the
 * queue keeps it across reloads, and an item page's "next item" follows the same filter.
 */
export interface QueueView {
  filter: QueueFilter;
  order: ReviewQueueOrder;
}

const KEY = 'console.queue.view';
const DEFAULT: QueueView = { filter: {}, order: 'PRIORITY' };

export function loadQueueView(): QueueView {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return DEFAULT;
    const view = JSON.parse(raw) as Partial<QueueView>;
    return {
      filter: typeof view.filter === 'object' && view.filter !== null ? view.filter : {},
      order: view.order === 'OLDEST' ? 'OLDEST' : 'PRIORITY',
    };
  } catch {
    return DEFAULT;
  }
}

export function saveQueueView(view: QueueView): void {
  sessionStorage.setItem(KEY, JSON.stringify(view));
}

/** The filter without empty fields, as the API takes it. */
export function apiFilter(filter: QueueFilter): QueueFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/** Whether a key press is meant for a field (typing) rather than for a page shortcut. */
function isTyping(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return true;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  // An open dialog (keyboard help) takes the keys: the page behind it does not act.
  if (target.closest('dialog') !== null) return true;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/**
 * Single-key shortcuts of a page, ignored while typing in a field or with a modifier. The
 * handler returns true when it used the key (its default action is then prevented).
 */
export function useShortcuts(handler: (key: string, event: KeyboardEvent) => boolean): void {
  const current = useRef(handler);
  current.current = handler;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event)) return;
      if (current.current(event.key, event)) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
