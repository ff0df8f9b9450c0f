"use client";

import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { FIELD_TYPES, type ProductFormValues } from "@/lib/validation/product";
import { button, input } from "../ui/styles";
import { errorId, errorMessage, FieldError } from "../ui/form";

export const EMPTY_FIELD = { name: "", type: "string", required: false, description: "", pii: false } as const;

/**
 * Edits `schema.fields` and `schema.primaryKey`: add, remove and reorder
 * fields; the key column picks the primary key (and makes it required).
 */
export function SchemaEditor() {
  const {
    control,
    register,
    setValue,
    getValues,
    formState: { errors },
  } = useFormContext<ProductFormValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: "schema.fields" });
  const primaryKey = useWatch({ control, name: "schema.primaryKey" });
  const names = useWatch({ control, name: "schema.fields" }) ?? [];

  const choosePrimaryKey = (index: number) => {
    const name = getValues(`schema.fields.${index}.name`);
    setValue("schema.primaryKey", name, { shouldValidate: true, shouldDirty: true });
    setValue(`schema.fields.${index}.required`, true, { shouldDirty: true });
  };

  const fieldsError = errorMessage(errors, "schema.fields");
  const keyError = errorMessage(errors, "schema.primaryKey");

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full min-w-[760px] text-sm">
          <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="w-12 px-3 py-2">Key</th>
              <th scope="col" className="px-3 py-2">Field name</th>
              <th scope="col" className="w-32 px-3 py-2">Type</th>
              <th scope="col" className="w-20 px-3 py-2">Required</th>
              <th scope="col" className="w-14 px-3 py-2">PII</th>
              <th scope="col" className="px-3 py-2">Description</th>
              <th scope="col" className="w-28 px-3 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {fields.map((field, index) => {
              const path = `schema.fields.${index}`;
              const nameError = errorMessage(errors, `${path}.name`);
              const typeError = errorMessage(errors, `${path}.type`);
              const descriptionError = errorMessage(errors, `${path}.description`);
              const fieldName = names[index]?.name ?? "";
              const isKey = fieldName !== "" && fieldName === primaryKey;
              return (
                <tr key={field.id} className="align-top">
                  <td className="px-3 py-2">
                    <input
                      type="radio"
                      name="primary-key"
                      className="mt-2.5 size-4 accent-indigo-600"
                      checked={isKey}
                      disabled={fieldName === ""}
                      onChange={() => choosePrimaryKey(index)}
                      aria-label={`Primary key: field ${index + 1}${fieldName ? ` (${fieldName})` : ""}`}
                    />
                  </td>
                  <td className="px-3 py-2">
                    <input
                      {...register(`schema.fields.${index}.name`, {
                        onChange: (event) => {
                          // Renaming the key field keeps it the key.
                          if (isKey) setValue("schema.primaryKey", event.target.value);
                        },
                      })}
                      aria-label={`Field ${index + 1} name`}
                      aria-invalid={Boolean(nameError)}
                      aria-describedby={nameError ? errorId(`${path}.name`) : undefined}
                      placeholder="e.g. order_id"
                      className={`${input} font-mono`}
                    />
                    <FieldError path={`${path}.name`} message={nameError} />
                  </td>
                  <td className="px-3 py-2">
                    <select
                      {...register(`schema.fields.${index}.type`)}
                      aria-label={`Field ${index + 1} type`}
                      aria-invalid={Boolean(typeError)}
                      className={input}
                    >
                      {FIELD_TYPES.map((type) => (
                        <option key={type} value={type}>
                          {type}
                        </option>
                      ))}
                    </select>
                    <FieldError path={`${path}.type`} message={typeError} />
                  </td>
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      {...register(`schema.fields.${index}.required`)}
                      aria-label={`Field ${index + 1} required`}
                      className="mt-2.5 size-4 accent-indigo-600"
                    />
                  </td>
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      {...register(`schema.fields.${index}.pii`)}
                      aria-label={`Field ${index + 1} contains personal data`}
                      className="mt-2.5 size-4 accent-indigo-600"
                    />
                  </td>
                  <td className="px-3 py-2">
                    <input
                      {...register(`schema.fields.${index}.description`)}
                      aria-label={`Field ${index + 1} description`}
                      aria-invalid={Boolean(descriptionError)}
                      placeholder="What the field holds"
                      className={input}
                    />
                    <FieldError path={`${path}.description`} message={descriptionError} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right">
                    <button type="button" className={button.ghost} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={`Move field ${index + 1} up`}>
                      ↑
                    </button>
                    <button type="button" className={button.ghost} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={`Move field ${index + 1} down`}>
                      ↓
                    </button>
                    <button
                      type="button"
                      className={button.ghost}
                      disabled={fields.length === 1}
                      onClick={() => {
                        if (isKey) setValue("schema.primaryKey", "");
                        remove(index);
                      }}
                      aria-label={`Remove field ${index + 1}`}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FieldError path="schema.fields" message={fieldsError} />
      <FieldError path="schema.primaryKey" message={keyError} />
      <button type="button" className={button.secondary} onClick={() => append({ ...EMPTY_FIELD })}>
        + Add field
      </button>
    </div>
  );
}
