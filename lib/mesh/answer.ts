import { productPath, recordPath } from "../paths";
import type { FederatedProduct } from "../validation/discovery";

/**
 * The offline answer: a faithful summary of what the retrieved records say,
 * grouped per product, quoting them, every quote cited with a link to its
 * record. It adds nothing that is not in the records. Pure functions.
 */

/** Below this cosine similarity, and without a keyword match, a record is not considered relevant. */
export const RELEVANCE_FLOOR = 0.3;
export const RECORDS_PER_PRODUCT = 3;
const QUOTE_LENGTH = 220;

export interface Citation {
  product: string;
  key: string;
  href: string;
}


/** Record text is data: it must not turn into links, emphasis or layout in the answer. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([\\`*_[\]()<>#|~])/g, "\\$1");
}

function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), length - 20))}…`;
}

type Result = FederatedProduct["results"][number];

function isRelevant(result: Result): boolean {
  return Boolean(result.highlights) || (result.similarity ?? 0) >= RELEVANCE_FLOOR;
}

/** The passage to quote: the matched fragments, else the searched fields' text. */
function quote(result: Result, fields: string[]): string {
  if (result.highlights) {
    // ts_headline marks matches with ** **: keep them as emphasis, escape the rest.
    return truncate(result.highlights, QUOTE_LENGTH)
      .split("**")
      .map((part, index) => (index % 2 === 1 ? `**${escapeMarkdown(part)}**` : escapeMarkdown(part)))
      .join("")
      .trim();
  }
  const text = fields
    .map((field) => result.record[field])
    .filter((value) => typeof value === "string" && value.trim())
    .join(" — ");
  return escapeMarkdown(truncate(text, QUOTE_LENGTH)).trim();
}

export function relevantResults(product: FederatedProduct): Result[] {
  return product.results.filter(isRelevant).slice(0, RECORDS_PER_PRODUCT);
}

export function composeAnswer(question: string, products: FederatedProduct[]): { text: string; citations: Citation[] } {
  const citations: Citation[] = [];
  const answered = products.filter((product) => product.status === "ok" && relevantResults(product).length > 0);
  const asked = products.filter((product) => product.status === "ok").map((product) => `**${escapeMarkdown(product.title)}**`);
  const lines: string[] = [];

  if (answered.length === 0) {
    lines.push(
      asked.length
        ? `I found nothing relevant to “${escapeMarkdown(question)}” in ${asked.join(", ")}.`
        : `No data product could be searched for “${escapeMarkdown(question)}”.`,
    );
  } else {
    lines.push(`Here is what ${answered.length === 1 ? "one data product holds" : `${answered.length} data products hold`} about “${escapeMarkdown(question)}”.`);
    for (const product of answered) {
      const address = `${product.domain}/${product.name}`;
      const results = relevantResults(product);
      lines.push("", `**${escapeMarkdown(product.title)}** ([${address}](${productPath(product)})), ${results.length} matching record${results.length === 1 ? "" : "s"}:`);
      for (const result of results) {
        const href = recordPath(product, result.key);
        citations.push({ product: address, key: result.key, href });
        lines.push(`- “${quote(result, product.fields)}” [${escapeMarkdown(result.key)}](${href})`);
      }
    }
    const quiet = products.filter((product) => product.status === "ok" && relevantResults(product).length === 0);
    if (quiet.length) lines.push("", `Nothing relevant in ${quiet.map((product) => `**${escapeMarkdown(product.title)}**`).join(", ")}.`);
  }
  const unavailable = products.filter((product) => product.status !== "ok");
  if (unavailable.length) {
    lines.push("", "Not searched:");
    for (const product of unavailable) lines.push(`- **${escapeMarkdown(product.title)}**: ${escapeMarkdown(product.reason ?? product.status)}`);
  }
  return { text: lines.join("\n"), citations };
}
