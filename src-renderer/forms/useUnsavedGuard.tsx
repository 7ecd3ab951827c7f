import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';

export interface UnsavedGuard {
  /**
   * Run `action` now when there are no unsaved edits; otherwise ask first (the dialog names `what` is being
   * left) and run it only if the user confirms discarding the edits.
   */
  guard(action: () => void): void;
  /** The confirmation dialog while one is pending (render it somewhere in the view). */
  dialog: ReactNode;
}

/**
 * Dirty-state guard for an editor: actions that would replace the edited thing (open another one, start a
 * new one, switch version) go through `guard`, so unsaved edits are never dropped without a question.
 * `onDiscard` runs before the action when the user confirms (e.g. to forget the stored draft).
 */
export function useUnsavedGuard(opts: { dirty: boolean; what: string; onDiscard?: () => void }): UnsavedGuard {
  const [pending, setPending] = useState<(() => void) | null>(null);
  const guard = (action: () => void): void => {
    if (!opts.dirty) action();
    else setPending(() => action);
  };
  const dialog = pending ? (
    <ConfirmDialog
      title="Unsaved edits"
      message={`${opts.what} has unsaved edits. Discard them? (Cancel keeps them; Save stores them.)`}
      confirmText="Discard edits"
      danger
      onConfirm={() => {
        setPending(null);
        opts.onDiscard?.();
        pending();
      }}
      onCancel={() => setPending(null)}
    />
  ) : null;
  return { guard, dialog };
}
