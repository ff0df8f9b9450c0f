"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { CATALOG_PATH, catalogPath } from "@/lib/paths";
import { HEALTH_STATUSES } from "@/lib/mesh/health-status";
import { PRODUCT_STATUSES } from "@/lib/mesh/product-status";
import type { CatalogQuery } from "@/lib/validation/product";
import { button, input, label } from "../ui/styles";

type Props = { query: CatalogQuery; domains: string[]; tags: string[] };
type Filters = Pick<CatalogQuery, "domain" | "status" | "tag" | "health" | "mode">;

const filtersOf = ({ domain, status, tag, health, mode = "keyword" }: Partial<CatalogQuery>): Filters => ({ domain, status, tag, health, mode });

/**
 * Search and filters of the catalog. A plain GET form (works without
 * JavaScript); with it, selects apply at once and typing searches after a pause.
 */
export function CatalogFilters({ query, domains, tags }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState(query.q ?? "");
  // The search box follows the URL when it changes from elsewhere (a link, back
  // button), but not when the change is the search this box just applied.
  const [seenQ, setSeenQ] = useState(query.q);
  const [appliedQ, setAppliedQ] = useState(query.q);
  if (query.q !== seenQ) {
    setSeenQ(query.q);
    if (query.q !== appliedQ) setText(query.q ?? "");
  }
  // The selects show the filters chosen here at once, not the URL's, which lags
  // while the navigation runs; they follow the URL when it changes from elsewhere.
  const [filters, setFilters] = useState<Filters>(() => filtersOf(query));
  const [seenFilters, setSeenFilters] = useState<Filters>(() => filtersOf(query));
  const changed = (["domain", "status", "tag", "health", "mode"] as const).some((key) => query[key] !== seenFilters[key]);
  if (!pending && changed) {
    setSeenFilters(filtersOf(query));
    setFilters(filtersOf(query));
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // Builds the URL from what the controls show, not from the URL of this render:
  // two quick changes would otherwise undo each other. Cancels a pending search,
  // whose timer holds an older render's state.
  const apply = (changes: Partial<CatalogQuery>) => {
    clearTimeout(timer.current);
    const next = { ...filters, q: text.trim() || undefined, ...changes };
    setFilters(filtersOf(next));
    setAppliedQ(next.q);
    startTransition(() => router.replace(catalogPath(next, { page: 1 }), { scroll: false }));
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <form
      role="search"
      action={CATALOG_PATH}
      method="get"
      onSubmit={(event) => {
        event.preventDefault();
        apply({});
      }}
      className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end"
      aria-busy={pending}
    >
      <div className="flex-1 sm:min-w-72">
        <label htmlFor="catalog-q" className={label}>
          Search
        </label>
        <input
          id="catalog-q"
          name="q"
          type="search"
          value={text}
          placeholder="Name, title, description, tag or field name"
          className={`${input} mt-1`}
          onChange={(event) => {
            const value = event.target.value;
            setText(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => apply({ q: value.trim() || undefined }), 300);
          }}
        />
      </div>
      <fieldset>
        <legend className={label}>Match</legend>
        <div className="mt-1 inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700" role="radiogroup">
          {(
            [
              ["keyword", "Keywords", "Every word must appear in the product's metadata"],
              ["meaning", "Meaning", "Ranked by meaning (description, fields, records) and keywords"],
            ] as const
          ).map(([mode, text, title]) => (
            <label
              key={mode}
              title={title}
              className={`cursor-pointer rounded px-2.5 py-1.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500 ${
                filters.mode === mode ? "bg-indigo-600 text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              <input
                type="radio"
                name="mode"
                value={mode}
                className="sr-only"
                checked={filters.mode === mode}
                onChange={() => apply({ mode })}
              />
              {text}
            </label>
          ))}
        </div>
      </fieldset>
      <FilterSelect name="domain" label="Domain" any="All domains" options={domains} value={filters.domain} onChange={(domain) => apply({ domain })} />
      <FilterSelect
        name="status"
        label="Status"
        any="Any status"
        options={PRODUCT_STATUSES}
        value={filters.status}
        onChange={(status) => apply({ status: status as CatalogQuery["status"] })}
      />
      <FilterSelect name="tag" label="Tag" any="Any tag" options={tags} value={filters.tag} onChange={(tag) => apply({ tag })} />
      <FilterSelect
        name="health"
        label="Health"
        any="Any health"
        options={HEALTH_STATUSES}
        value={filters.health}
        onChange={(health) => apply({ health: health as CatalogQuery["health"] })}
      />
      <button type="submit" className={button.secondary}>
        {pending ? "Searching…" : "Search"}
      </button>
    </form>
  );
}

function FilterSelect({
  name,
  label: text,
  any,
  options,
  value,
  onChange,
}: {
  name: string;
  label: string;
  any: string;
  options: readonly string[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div>
      <label htmlFor={`catalog-${name}`} className={label}>
        {text}
      </label>
      <select
        id={`catalog-${name}`}
        name={name}
        className={`${input} mt-1 sm:w-44`}
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">{any}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}
