import { useRef } from 'preact/hooks';
import { useShortcuts } from './queue-state';

export interface Shortcut {
  keys: string[];
  what: string;
}

/**
 * A "Keyboard shortcuts" button and the dialog it opens, listing every key of the page. `?`
 * opens it too; Esc or its Close button closes it (a native modal dialog keeps focus inside).
 */
export function KeyboardHelp({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const open = () => {
    if (dialog.current !== null && !dialog.current.open) dialog.current.showModal();
  };
  useShortcuts((key) => {
    if (key !== '?') return false;
    open();
    return true;
  });
  return (
    <>
      <button type="button" class="keys-button" onClick={open} aria-keyshortcuts="?">
        Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
      <dialog ref={dialog} class="keys-dialog" aria-labelledby="keys-dialog-title">
        <h2 id="keys-dialog-title">Keyboard shortcuts</h2>
        <p class="muted small">Keys act only when no text field has the focus.</p>
        <dl class="facts">
          {shortcuts.map((shortcut) => (
            <>
              <dt key={`${shortcut.what}-keys`}>
                {shortcut.keys.map((key, index) => (
                  <>
                    {index > 0 && ' or '}
                    <kbd>{key}</kbd>
                  </>
                ))}
              </dt>
              <dd key={`${shortcut.what}-what`}>{shortcut.what}</dd>
            </>
          ))}
          <dt>
            <kbd>?</kbd>
          </dt>
          <dd>this list</dd>
        </dl>
        <form method="dialog">
          <button type="submit" class="primary">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
