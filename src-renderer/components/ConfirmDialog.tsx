import { useEffect, useRef } from 'react';
import styles from './ConfirmDialog.module.css';

interface Props {
  title: string;
  message: string;
  confirmText: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A small modal confirmation (native confirm() would block the page and tests). Esc cancels. */
export function ConfirmDialog({ title, message, confirmText, danger, onConfirm, onCancel }: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className={styles.backdrop} onMouseDown={onCancel}>
      <div
        className={styles.modal}
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className={styles.title} id="confirm-title">
          {title}
        </div>
        <div className={styles.body}>{message}</div>
        <div className={styles.actions}>
          <button ref={cancelRef} type="button" onClick={onCancel} data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} data-testid="confirm-ok">
            {confirmText}
          </button>
        </div>
      </div>
    </div>
  );
}
