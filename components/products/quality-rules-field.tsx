"use client";

import { useState } from "react";
import { useController, useFormContext } from "react-hook-form";
import type { ProductFormValues } from "@/lib/validation/product";
import { input } from "../ui/styles";

const EXAMPLE = `[
  { "id": "email-present", "metric": "nullValues", "property": "email", "severity": "error", "rejectLoad": true },
  { "id": "status-allowed", "metric": "invalidValues", "property": "status", "arguments": { "validValues": ["open", "closed"] } },
  { "id": "enough-rows", "metric": "rowCount", "mustBeGreaterOrEqualTo": 100 }
]`;

/** Every error message under `value` (a nested react-hook-form error tree), with its path. */
function messagesOf(value: unknown, path: string): [string, string][] {
  if (!value || typeof value !== "object") return [];
  const { message, type: _type, ref: _ref, ...children } = value as { message?: unknown; type?: unknown; ref?: unknown };
  const own: [string, string][] = typeof message === "string" && message ? [[path, message]] : [];
  return [...own, ...Object.entries(children).flatMap(([key, child]) => messagesOf(child, `${path}.${key}`))];
}

/**
 * The product's data-quality rules as JSON, in the shape of ODCS v3 quality
 * library metrics (README "Data quality rules"). Invalid JSON is reported
 * here; the rules themselves are checked by the product's zod schema and, on
 * the server, against its fields.
 */
export function QualityRulesField() {
  const { control, formState } = useFormContext<ProductFormValues>();
  const { field } = useController({ control, name: "quality" });
  const [text, setText] = useState(() => (field.value?.length ? JSON.stringify(field.value, null, 2) : ""));
  const [syntax, setSyntax] = useState<string>();
  const problems = messagesOf(formState.errors.quality, "quality");

  return (
    <div>
      <label htmlFor="quality" className="sr-only">
        Quality rules (JSON)
      </label>
      <textarea
        id="quality"
        rows={8}
        spellCheck={false}
        value={text}
        placeholder={EXAMPLE}
        aria-invalid={Boolean(syntax || problems.length)}
        aria-describedby={syntax || problems.length ? "quality-error" : undefined}
        className={`${input} font-mono text-xs`}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (next.trim() === "") {
            setSyntax(undefined);
            field.onChange([]);
            return;
          }
          try {
            field.onChange(JSON.parse(next));
            setSyntax(undefined);
          } catch (error) {
            setSyntax(`Not valid JSON: ${(error as Error).message}`);
          }
        }}
        onBlur={field.onBlur}
      />
      {syntax || problems.length ? (
        <ul id="quality-error" role="alert" className="mt-1 space-y-0.5 text-sm text-red-600 dark:text-red-400">
          {syntax ? <li>{syntax}</li> : null}
          {problems.map(([path, message]) => (
            <li key={path}>
              <span className="font-mono text-xs">{path}</span>: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
