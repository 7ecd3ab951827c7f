import { useEffect, useRef } from 'react';
import { Modal } from './Modal';

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
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <Modal
      title={title}
      testId="confirm-dialog"
      onDismiss={onCancel}
      actions={
        <>
          <button ref={cancelRef} type="button" onClick={onCancel} data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} data-testid="confirm-ok">
            {confirmText}
          </button>
        </>
      }
    >
      {message}
    </Modal>
  );
}
