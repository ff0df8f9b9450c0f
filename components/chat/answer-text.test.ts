import { describe, expect, it } from "vitest";
import { cells, parseInline } from "./answer-text";

describe("parseInline", () => {
  it("turns [text](/path) into a link inside the portal", () => {
    expect(parseInline("see [T-1](/products/ops/tickets/records/T-1) now")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "T-1", href: "/products/ops/tickets/records/T-1" },
      { kind: "text", text: " now" },
    ]);
  });

  it("leaves links to other sites as text", () => {
    for (const source of [
      "[click](https://evil.example)",
      "[click](http://evil.example/path)",
      "[click](javascript:alert(1))",
      "[click](evil.example)",
      "[click](mailto:a@b.c)",
      "[click](//evil.example/phish)",
      "[click](/\\evil.example)",
    ]) {
      const pieces = parseInline(source);
      expect(pieces.filter((piece) => piece.kind === "link"), source).toEqual([]);
      expect(pieces.map((piece) => piece.text).join(""), source).toBe(source.replace(/\\(.)/g, "$1"));
    }
  });

  it("unescapes backslash escapes into plain text", () => {
    expect(parseInline("\\*\\*not bold\\*\\* \\[x\\]\\(/y\\) a\\\\b")).toEqual([{ kind: "text", text: "**not bold** [x](/y) a\\b" }]);
  });

  it("keeps an escaped link text whole", () => {
    expect(parseInline("[ORD\\[1\\]](/products/a/b/records/ORD%5B1%5D)")).toEqual([
      { kind: "link", text: "ORD[1]", href: "/products/a/b/records/ORD%5B1%5D" },
    ]);
  });

  it("toggles bold on ** and leaves single stars alone", () => {
    expect(parseInline("a **b** c *d* **e")).toEqual([
      { kind: "text", text: "a " },
      { kind: "bold", text: "b" },
      { kind: "text", text: " c *d* " },
      { kind: "bold", text: "e" },
    ]);
  });

  it("does not turn a link with a space or no closing parenthesis into a link", () => {
    expect(parseInline("[a](/b c)").some((piece) => piece.kind === "link")).toBe(false);
    expect(parseInline("[a](/b")).toEqual([{ kind: "text", text: "[a](/b" }]);
  });

  it("keeps a trailing backslash as text", () => {
    expect(parseInline("end\\")).toEqual([{ kind: "text", text: "end\\" }]);
  });
});

describe("cells", () => {
  it("splits a table row on pipes, keeping escaped ones in the cell", () => {
    expect(cells("| [T-1](/products/a/b/records/T-1) | a \\| b | $3,100 |")).toEqual(["[T-1](/products/a/b/records/T-1)", "a \\| b", "$3,100"]);
  });
});
