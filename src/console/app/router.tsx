import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/queue/42): deep links work behind any proxy without a server fallback, and
 * the console stays a folder of static files. A dozen lines, so no router library.
 */
export function useHashPath(): string[] {
  const read = () =>
    location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter((part) => part !== '')
      .map(decodeURIComponent);
  const [path, setPath] = useState(read);
  useEffect(() => {
    const onChange = () => setPath(read());
    window.addEventListener('hashchange', onChange);
    // A change made between the first render and this listener (a redirect) is not missed.
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

/** The href of a console route, e.g. href('queue', id). */
export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

/** Replaces the current route (no history entry), after rendering. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => location.replace(href(to)), [to]);
  return null;
}
