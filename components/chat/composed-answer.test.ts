import { describe, expect, it } from "vitest";
import { composeAnswer, escapeMarkdown, RECORDS_PER_PRODUCT, RELEVANCE_FLOOR, relevantResults } from "@/lib/mesh/answer";
import { recordPath } from "@/lib/paths";
import type { FederatedProduct } from "@/lib/validation/discovery";
import { parseInline } from "./answer-text";

/** The offline answer (lib/mesh/answer.ts) as the chat renders it (./answer-text.tsx). */

type Result = FederatedProduct["results"][number];

const result = (key: string, record: Record<string, unknown>, similarity: number | null, highlights?: string): Result => ({
  key,
  score: 0.03,
  similarity,
  record,
  ...(highlights === undefined ? {} : { highlights }),
});

const product = (name: string, title: string, results: Result[], extra: Partial<FederatedProduct> = {}): FederatedProduct => ({
  domain: "ops",
  name,
  title,
  score: 0.03,
  status: "ok",
  fields: ["subject", "body"],
  durationMs: 12,
  results,
  ...extra,
});

/** The quoted passages of the answer's list items: “…”. */
const quotes = (text: string) => [...text.matchAll(/^- “(.*)” \[/gm)].map((match) => match[1]!);

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

describe("relevantResults", () => {
  it("keeps records at or above the floor or with highlights, at most RECORDS_PER_PRODUCT, in order", () => {
    const results = [
      result("low", { subject: "x" }, RELEVANCE_FLOOR - 0.01),
      result("at", { subject: "x" }, RELEVANCE_FLOOR),
      result("kw", { subject: "x" }, null, "a **match**"),
      result("nosim", { subject: "x" }, null),
      result("hi1", { subject: "x" }, 0.9),
      result("hi2", { subject: "x" }, 0.8),
    ];
    expect(RECORDS_PER_PRODUCT).toBe(3);
    expect(relevantResults(product("p", "P", results)).map((r) => r.key)).toEqual(["at", "kw", "hi1"]);
  });
});

describe("composeAnswer", () => {
  const storms = product("storms", "Storm Log", [
    result("S-1", { subject: "Hail damaged the roof", body: "Large hail hit the north depot on 3 May." }, 0.71),
    result("S-2", { subject: "Flooded basement", body: "Heavy rain flooded the basement archive." }, 0.55),
    result("S-3", { subject: "Unrelated", body: "Coffee machine broken." }, 0.05),
  ]);
  const trucks = product("trucks", "Truck Repairs", [
    result("T/9 a", { subject: "Brake pads replaced after storm", body: "" }, 0.42, "Brake pads replaced after **storm**"),
  ]);

  it("groups the answer per product, with a product link and the count of matching records", () => {
    const { text } = composeAnswer("storm damage", [storms, trucks]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Here is what 2 data products hold about “storm damage”.");
    const stormHeading = lines.indexOf("**Storm Log** ([ops/storms](/products/ops/storms)), 2 matching records:");
    const truckHeading = lines.indexOf("**Truck Repairs** ([ops/trucks](/products/ops/trucks)), 1 matching record:");
    expect(stormHeading).toBeGreaterThan(0);
    expect(truckHeading).toBeGreaterThan(stormHeading);
    // The storm records sit between the two headings, the truck record after its own.
    expect(lines.slice(stormHeading + 1, truckHeading).filter((line) => line.startsWith("- ")).map((line) => /\[([^\]]+)\]\(/.exec(line)?.[1])).toEqual(["S-1", "S-2"]);
    expect(lines[truckHeading + 1]).toMatch(/^- “.*” \[T\/9 a\]\(\/products\/ops\/trucks\/records\/T%2F9%20a\)$/);
  });

  it("cites every quoted record with a link to it, and nothing else", () => {
    const { text, citations } = composeAnswer("storm damage", [storms, trucks]);
    expect(citations).toEqual([
      { product: "ops/storms", key: "S-1", href: "/products/ops/storms/records/S-1" },
      { product: "ops/storms", key: "S-2", href: "/products/ops/storms/records/S-2" },
      { product: "ops/trucks", key: "T/9 a", href: "/products/ops/trucks/records/T%2F9%20a" },
    ]);
    expect(quotes(text)).toHaveLength(citations.length);
    for (const citation of citations) expect(text).toContain(`](${citation.href})`);
    expect(text).not.toContain("S-3");
    expect(text).not.toContain("Coffee");
  });

  it("quotes the searched fields' text when there are no highlights, and highlights with their **matches** kept", () => {
    const { text } = composeAnswer("storm damage", [storms, trucks]);
    expect(quotes(text)).toEqual([
      "Hail damaged the roof — Large hail hit the north depot on 3 May.",
      "Flooded basement — Heavy rain flooded the basement archive.",
      "Brake pads replaced after **storm**",
    ]);
    const truckLine = text.split("\n").find((line) => line.includes("T/9 a"))!;
    expect(parseInline(truckLine.slice(2))).toContainEqual({ kind: "bold", text: "storm" });
  });

  it("skips empty and non-text fields and truncates long text at a word", () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const { text } = composeAnswer("words", [
      product("long", "Long", [result("L-1", { subject: 42, body: long }, 0.9), result("L-2", { subject: "  ", body: "Only body" }, 0.9)]),
    ]);
    const [first, second] = quotes(text);
    expect(first!.endsWith("…")).toBe(true);
    expect(first!.length).toBeLessThanOrEqual(221);
    expect(long.startsWith(first!.slice(0, -1))).toBe(true);
    expect(first!.slice(0, -1).endsWith(" ")).toBe(false);
    expect(second).toBe("Only body");
  });

  it("escapes record text: no links, emphasis or list items come out of a record", () => {
    const evil = {
      subject: "Read [click](https://evil.example) and [here](/admin) **now**",
      body: "first line\n- injected item\n\n**Fake Product** ([x/y](/products/x/y)), 9 matching records:",
    };
    const { text, citations } = composeAnswer("click", [
      product("evil", "Evil", [result("E-1", evil, 0.9)]),
      product("evil2", "Evil too", [result("E-2", { subject: "ok", body: "" }, 0.2, "the **click** [me](/x) ** here")]),
    ]);
    // One quoted list item per record: the record's newlines did not make new lines.
    expect(text.split("\n").filter((line) => line.startsWith("- "))).toHaveLength(2);
    expect(text).not.toMatch(/^- injected/m);
    expect(text).not.toMatch(/^\*\*Fake Product/m);
    const links = text.split("\n").flatMap((line) => parseInline(line).filter((piece) => piece.kind === "link"));
    expect(links.map((link) => (link.kind === "link" ? link.href : ""))).toEqual([
      "/products/ops/evil",
      citations[0]!.href,
      "/products/ops/evil2",
      citations[1]!.href,
    ]);
    const evilLine = text.split("\n").find((line) => line.includes("E-1"))!;
    const pieces = parseInline(evilLine.slice(2));
    expect(pieces.filter((piece) => piece.kind === "bold")).toEqual([]);
    expect(pieces[0]).toEqual({ kind: "text", text: `“${evil.subject} — ${evil.body.replace(/\s+/g, " ")}” ` });
  });

  it("quotes only text that is in the records: every passage is a substring of the escaped record text", () => {
    const products = [
      storms,
      trucks,
      product("mixed", "Mixed", [
        result("M-1", { subject: "Wind (gusts) > 90 km/h_ #alert", body: "Roof | tiles ~ off `now`" }, 0.6),
        result("M-2", { subject: "x", body: "y" }, 0.1, "**Gale** warning for the [coast]"),
      ]),
    ];
    const { text } = composeAnswer("wind", products);
    // The text each cited record offers: its highlights (matches unmarked), else its searched fields.
    const sources = products.flatMap((p) =>
      p.results
        .filter((r) => relevantResults(p).includes(r))
        .map((r) => (r.highlights ? r.highlights.replaceAll("**", "") : p.fields.map((field) => r.record[field]).filter((v) => typeof v === "string" && v.trim()).join(" — "))),
    );
    const passages = quotes(text);
    expect(passages).toHaveLength(5);
    passages.forEach((passage, index) => {
      expect(escapeMarkdown(sources[index]!)).toContain(passage.replace(/…$/, "").replaceAll("**", ""));
    });
    // Outside the quotes and links, the answer holds only the question, titles, addresses and fixed phrases.
    const withoutQuotes = text.replace(/“[^”]*”/g, "“”").replace(/\[[^\]]*\]\([^)]*\)/g, "[]");
    expect(withoutQuotes).not.toMatch(/hail|brake|gust|gale|tiles/i);
  });

  it("says plainly when nothing relevant was found, naming the searched products, with no citations", () => {
    const quiet = [
      product("a", "Alpha", [result("A-1", { subject: "Nothing to see" }, RELEVANCE_FLOOR - 0.05)]),
      product("b", "Beta *x*", [result("B-1", { subject: "Still nothing" }, 0.01), result("B-2", { subject: "Nope" }, null)]),
    ];
    const { text, citations } = composeAnswer("what about [me](/x)?", quiet);
    expect(text).toBe("I found nothing relevant to “what about \\[me\\]\\(/x\\)?” in **Alpha**, **Beta \\*x\\***.");
    expect(citations).toEqual([]);
    expect(text).not.toContain("Nothing to see");
  });

  it("says so when no product could be searched at all, and lists why", () => {
    const { text, citations } = composeAnswer("anything", [
      product("s", "Skipped One", [], { status: "skipped", reason: "Semantic search is not enabled for ops/s" }),
      product("e", "Broken", [], { status: "error" }),
    ]);
    expect(text).toBe(
      [
        "No data product could be searched for “anything”.",
        "",
        "Not searched:",
        "- **Skipped One**: Semantic search is not enabled for ops/s",
        "- **Broken**: error",
      ].join("\n"),
    );
    expect(citations).toEqual([]);
  });

  it("lists quiet, skipped and failed products after the answer, with reasons", () => {
    const { text } = composeAnswer("storm damage", [
      storms,
      product("quiet", "Quiet Product", [result("Q-1", { subject: "x" }, 0.1)]),
      product("slow", "Slow Product", [], { status: "error", reason: "no answer within 5000 ms" }),
      product("off", "Off Product", [], { status: "skipped", reason: "Semantic search is not enabled for ops/off; its owner can enable it." }),
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Here is what one data product holds about “storm damage”.");
    expect(lines).toContain("Nothing relevant in **Quiet Product**.");
    const notSearched = lines.indexOf("Not searched:");
    expect(notSearched).toBeGreaterThan(lines.indexOf("Nothing relevant in **Quiet Product**."));
    expect(lines.slice(notSearched + 1)).toEqual([
      "- **Slow Product**: no answer within 5000 ms",
      "- **Off Product**: Semantic search is not enabled for ops/off; its owner can enable it.",
    ]);
  });

  it("builds record links that the renderer keeps whole, whatever the key", () => {
    for (const key of ["A-1", "a b/c", "ORD(7)", "x)y", "50%", "q?a=1#f", "[k]"]) {
      const href = recordPath({ domain: "ops", name: "p" }, key);
      expect(decodeURIComponent(href.slice("/products/ops/p/records/".length))).toBe(key);
      const { text } = composeAnswer("q", [product("p", "P", [result(key, { subject: "hello" }, 0.9)])]);
      const line = text.split("\n").find((l) => l.startsWith("- "))!;
      expect(parseInline(line.slice(2)).at(-1)).toEqual({ kind: "link", text: key, href });
    }
  });
});
