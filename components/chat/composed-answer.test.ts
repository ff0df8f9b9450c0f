import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "@/lib/mesh/answer";
import { composeFact } from "@/lib/mesh/plan/compose";
import { recordPath } from "@/lib/paths";
import type { Plan } from "@/lib/validation/answers";
import { cells, parseInline } from "./answer-text";

/** The offline answer (lib/mesh/plan/compose.ts) as the chat renders it (./answer-text.tsx). */

const product = {
  domain: "ops",
  name: "p",
  title: "P",
  schema: {
    primaryKey: "id",
    fields: [
      { name: "id", type: "string" as const, required: true, description: "", pii: false },
      { name: "subject", type: "string" as const, required: false, description: "", pii: false },
    ],
  },
};
const plan: Plan = { product: "ops/p", operation: "list", fields: [], filters: [], limit: 25, search: "", confidence: 1, notes: [] };

describe("escapeMarkdown", () => {
  it("escapes every character the answer renderer or Markdown gives meaning to, and folds whitespace", () => {
    expect(escapeMarkdown("a*b_c[d](e)`f`<g>#h|i~j\\k")).toBe("a\\*b\\_c\\[d\\]\\(e\\)\\`f\\`\\<g\\>\\#h\\|i\\~j\\\\k");
    expect(escapeMarkdown("line one\n- line two\r\n\n  three")).toBe("line one - line two three");
  });

  it("round-trips through the renderer as plain text", () => {
    const nasty = "[click](/admin) **loud** \\ end";
    expect(parseInline(escapeMarkdown(nasty))).toEqual([{ kind: "text", text: nasty }]);
  });
});

describe("a composed answer, rendered", () => {
  it("keeps record links whole in the first sentence and in the table, whatever the key", () => {
    for (const key of ["A-1", "a b/c", "ORD(7)", "x)y", "50%", "q?a=1#f", "[k]", "a|b"]) {
      const href = recordPath(product, key);
      const { text } = composeFact(product, plan, { matched: 1, value: 1, rows: [{ key, data: { id: key, subject: "hello" }, similarity: null }], groups: [], capped: false });
      const lines = text.split("\n");
      expect(parseInline(lines[0]!).find((piece) => piece.kind === "link")).toEqual({ kind: "link", text: key, href });
      expect(parseInline(cells(lines.at(-1)!)[0]!)).toEqual([{ kind: "link", text: key, href }]);
    }
  });

  it("renders record text that looks like Markdown or a link as plain text", () => {
    const { text } = composeFact(product, plan, { matched: 1, value: 1, rows: [{ key: "A-1", data: { id: "A-1", subject: "[win](//evil.example) | **x**" }, similarity: null }], groups: [], capped: false });
    const row = text.split("\n").at(-1)!;
    expect(cells(row)).toHaveLength(2);
    expect(parseInline(cells(row)[1]!)).toEqual([{ kind: "text", text: "[win](//evil.example) | **x**" }]);
  });
});
