"use client";

import { button } from "./styles";

/** The end of a capability settings form: its error, the submit button, and Cancel when editing. */
export function FormFooter({
  error,
  pending,
  submitLabel,
  onCancel,
}: {
  error?: string;
  pending: boolean;
  submitLabel: string;
  onCancel?: () => void;
}) {
  return (
    <>
      {error ? (
        <p role="alert" className="text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" className={button.primary} disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className={button.ghost} onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </>
  );
}
