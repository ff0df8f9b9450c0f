import type { UseFormRegisterReturn } from "react-hook-form";

/**
 * The owner's choice, on a capability's form, whether fields marked PII may
 * leave this server for hosted models; off by default. The choice is audited
 * with the capability's other settings.
 */
export function HostedPiiChoice({
  piiFields,
  checked,
  input,
  reaches,
}: {
  piiFields: string[];
  /** The current value (the form's watched one). */
  checked: boolean;
  /** The form's registration of the boolean setting. */
  input: UseFormRegisterReturn;
  /** Which hosted models would get them, e.g. "the hosted chat model". */
  reaches: string;
}) {
  if (piiFields.length === 0) return <p className="text-xs text-zinc-500 dark:text-zinc-400">No field of this product is marked PII.</p>;
  return (
    <label className="flex items-start gap-2">
      <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" {...input} />
      <span>
        Send the fields marked PII to hosted models
        <span className="block text-xs text-zinc-500 dark:text-zinc-400">
          {piiFields.join(", ")}: {checked ? `${reaches} gets them.` : `withheld from ${reaches}; offline models on this server still read them.`} The
          choice is recorded in the change history.
        </span>
      </span>
    </label>
  );
}

/** The state line of a capability: whether PII reaches hosted models. */
export function hostedPiiText(piiFields: string[], hostedPii: boolean): string {
  if (piiFields.length === 0) return "no field is marked PII";
  return `${hostedPii ? "sent to" : "withheld from"} hosted models (${piiFields.join(", ")})`;
}
