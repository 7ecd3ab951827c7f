import { type MouseEvent, type ReactNode, useEffect, useId } from 'react';
import styles from './Modal.module.css';

interface Props {
  title: ReactNode;
  /** data-testid of the box. */
  testId: string;
  /** Esc and a press on the backdrop (not while `canDismiss` is false, e.g. while a request is out). */
  onDismiss(): void;
  canDismiss?: boolean;
  /** Box width in px (at most 92% of the window). */
  width?: number;
  /** When given, the box is a <form> and Enter or a submit button calls it. */
  onSubmit?(): void;
  /** The buttons, right-aligned under the body. */
  actions: ReactNode;
  children: ReactNode;
}

/** A modal box over the page (native dialogs would block the page and tests): title, body, actions. */
export function Modal({ title, testId, onDismiss, canDismiss = true, width = 420, onSubmit, actions, children }: Props) {
  const titleId = useId();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && canDismiss) onDismiss();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onDismiss, canDismiss]);
  const box = {
    className: styles.modal,
    style: { width },
    role: 'dialog',
    'aria-modal': true,
    'aria-labelledby': titleId,
    'data-testid': testId,
    onMouseDown: (e: MouseEvent) => e.stopPropagation(),
  } as const;
  const inner = (
    <>
      <div className={styles.title} id={titleId}>
        {title}
      </div>
      <div className={styles.body}>{children}</div>
      <div className={styles.actions}>{actions}</div>
    </>
  );
  return (
    <div className={styles.backdrop} onMouseDown={() => canDismiss && onDismiss()}>
      {onSubmit ? (
        <form
          {...box}
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {inner}
        </form>
      ) : (
        <div {...box}>{inner}</div>
      )}
    </div>
  );
}
