"use client";

import { useFormContext, useWatch } from "react-hook-form";
import { breakingChangeAllowed, classifySchemaChange, nextMajor } from "@/lib/mesh/schema-versions";
import { productSchemaSchema, type ProductFormValues } from "@/lib/validation/product";

/**
 * While an owner edits the schema: the breaking changes against the saved
 * schema (the same rules the server applies), and the new major version they
 * need, one click away.
 */
export function BreakingChangeNotice({ saved, savedVersion }: { saved: ProductFormValues["schema"]; savedVersion: string }) {
  const { setValue } = useFormContext<ProductFormValues>();
  const [schema, version] = useWatch<ProductFormValues, ["schema", "version"]>({ name: ["schema", "version"] });
  const before = productSchemaSchema.safeParse(saved);
  const after = productSchemaSchema.safeParse(schema);
  if (!before.success || !after.success) return null;
  const { breaking } = classifySchemaChange(before.data, after.data);
  if (!breaking.length) return null;
  const allowed = breakingChangeAllowed(savedVersion, version ?? savedVersion);
  const proposed = nextMajor(savedVersion);
  return (
    <div
      role="status"
      className={`rounded-lg border px-4 py-3 text-sm ${allowed ? "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300" : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-200"}`}
    >
      <p className="font-medium">
        {breaking.length === 1 ? "A breaking change" : `${breaking.length} breaking changes`}: consumers must adapt.{" "}
        {allowed ? `Saved as version ${version}.` : `It needs a new major version (${proposed} or higher; now ${savedVersion}).`}
      </p>
      <ul className="mt-1 list-disc pl-5">
        {breaking.map((change) => (
          <li key={change.message}>{change.message}</li>
        ))}
      </ul>
      {allowed ? null : (
        <button type="button" className="mt-2 font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300" onClick={() => setValue("version", proposed, { shouldDirty: true, shouldValidate: true })}>
          Use version {proposed}
        </button>
      )}
    </div>
  );
}
