/**
 * A button whose action waits for a confirmation in the page: a modal <dialog> (named by its
 * question, described by its consequence) instead of window.confirm, which screen readers and
 * keyboard users meet as a browser pop-up outside the page. Opening moves focus to the safe
 * choice; Escape or the safe choice closes it; focus then returns to the button that opened it.
 */
import { useId, useRef } from 'preact/hooks';

export function ConfirmButton({
  label,
  question,
  consequence,
  confirmLabel,
  keepLabel,
  busy = false,
  danger = false,
  onConfirm,
}: {
  /** The button that opens the dialog. */
  label: string;
  /** The dialog's heading and accessible name, e.g. "Cancel this broadcast?". */
  question: string;
  /** What happens if confirmed, and what does not. */
  consequence: string;
  confirmLabel: string;
  keepLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void | Promise<void>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const id = useId();
  const open = () => {
    dialog.current?.showModal();
    keep.current?.focus();
  };
  const close = () => dialog.current?.close();
  const confirm = () => {
    close();
    void onConfirm();
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        class={danger ? 'danger' : 'secondary'}
        disabled={busy}
        onClick={open}
      >
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-question`}
        aria-describedby={`${id}-consequence`}
        onClose={() => opener.current?.focus()}
      >
        <h2 id={`${id}-question`}>{question}</h2>
        <p id={`${id}-consequence`}>{consequence}</p>
        <div class="row">
          <button type="button" class={danger ? 'danger' : undefined} onClick={confirm}>
            {confirmLabel}
          </button>
          <button ref={keep} type="button" class="secondary" onClick={close}>
            {keepLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
