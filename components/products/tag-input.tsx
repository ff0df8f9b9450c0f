"use client";

import { useState } from "react";
import { input } from "../ui/styles";

type Props = {
  id: string;
  value: string[];
  onChange: (tags: string[]) => void;
  onBlur: () => void;
  invalid: boolean;
  describedBy?: string;
};

/** Tags as chips: Enter or comma adds, Backspace on an empty box removes the last. */
export function TagInput({ id, value, onChange, onBlur, invalid, describedBy }: Props) {
  const [draft, setDraft] = useState("");

  const commit = () => {
    const tags = draft
      .split(",")
      .map((tag) => tag.trim().toLowerCase())
      .filter(Boolean);
    if (tags.length) onChange([...value, ...tags.filter((tag) => !value.includes(tag))]);
    setDraft("");
  };

  return (
    <div className={`${input} flex flex-wrap items-center gap-1.5 py-1.5`} aria-invalid={invalid}>
      {value.map((tag) => (
        <span
          key={tag}
          className="inline-flex items-center gap-1 rounded bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-500/10 dark:text-indigo-300"
        >
          {tag}
          <button
            type="button"
            className="rounded text-indigo-500 hover:text-indigo-800 dark:hover:text-indigo-100"
            aria-label={`Remove tag ${tag}`}
            onClick={() => onChange(value.filter((other) => other !== tag))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        value={draft}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        placeholder={value.length ? "" : "Type a tag and press Enter"}
        className="min-w-32 flex-1 border-0 bg-transparent p-0.5 text-sm focus:outline-none focus:ring-0"
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === ",") {
            event.preventDefault();
            commit();
          } else if (event.key === "Backspace" && draft === "" && value.length) {
            onChange(value.slice(0, -1));
          }
        }}
        onBlur={() => {
          commit();
          onBlur();
        }}
      />
    </div>
  );
}
