"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { recordPath } from "@/lib/paths";
import type { SemanticSearchStatus } from "@/lib/validation/semantic-search";
import { button, card, input } from "../ui/styles";
import { fetchStatus, query } from "./api";
import { statusKey } from "./semantic-search-panel";

type Props = { domain: string; name: string; initial: SemanticSearchStatus };

/** Natural-language search of one product's records (needs semantic search to be ready). */
export function ProductSearch({ domain, name, initial }: Props) {
  const { data: status = initial } = useQuery({
    queryKey: statusKey(domain, name),
    queryFn: () => fetchStatus(domain, name),
    initialData: initial,
  });
  const [question, setQuestion] = useState("");
  const search = useMutation({ mutationFn: (text: string) => query(domain, name, text) });
  const ready = status.enabled && status.status === "ready";
  const titleField = status.fields[0];

  return (
    <div className="space-y-4">
      <form
        role="search"
        aria-label={`Search ${domain}/${name}`}
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (question.trim()) search.mutate(question.trim());
        }}
      >
        <label htmlFor="product-question" className="sr-only">
          Question
        </label>
        <input
          id="product-question"
          className={input}
          value={question}
          disabled={!ready}
          maxLength={1000}
          placeholder={ready ? "Ask in plain language, or type an exact id" : "Enable semantic search to ask this product questions"}
          onChange={(event) => setQuestion(event.target.value)}
        />
        <button type="submit" className={button.primary} disabled={!ready || search.isPending || !question.trim()}>
          {search.isPending ? "Searching…" : "Search"}
        </button>
      </form>
      {!ready && status.enabled && status.status === "indexing" ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Search opens when indexing is done.</p>
      ) : null}
      {search.error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {search.error.message}
        </p>
      ) : null}
      {search.data ? (
        search.data.results.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No matching records.</p>
        ) : (
          <ol className={`${card} divide-y divide-zinc-100 dark:divide-zinc-800`} aria-label="Search results">
            {search.data.results.map((result) => (
              <li key={result.key} className="p-4">
                <div className="flex items-baseline justify-between gap-3">
                  <Link
                    href={recordPath({ domain, name }, result.key)}
                    className="font-mono text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                  >
                    {result.key}
                  </Link>
                  <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" title="Rank-fusion score; cosine similarity to the question">
                    score {result.score.toFixed(4)}
                    {result.similarity !== null ? ` · similarity ${(result.similarity * 100).toFixed(0)}%` : ""}
                  </span>
                </div>
                {titleField && typeof result.record[titleField] === "string" ? (
                  <p className="mt-1 text-sm font-medium">{result.record[titleField] as string}</p>
                ) : null}
                {result.highlights ? (
                  <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">
                    <Highlighted text={result.highlights} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )
      ) : null}
    </div>
  );
}

/** Renders the `**term**` marks of a highlight as <mark>. */
function Highlighted({ text }: { text: string }) {
  return (
    <>
      {text.split("**").map((part, index) =>
        index % 2 === 1 ? (
          <mark key={index} className="rounded bg-amber-100 px-0.5 text-inherit dark:bg-amber-500/20">
            {part}
          </mark>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </>
  );
}
