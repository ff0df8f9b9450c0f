import { describe, expect, it } from "vitest";
import { productsDrawnOn, withheldAnswers } from "./conversation-access";

const accessPath = (product: { domain: string; name: string }) => `/products/${product.domain}/${product.name}#access`;
const question = { id: "u1", role: "user", parts: [{ type: "text", text: "Which birds nest at the ridge?" }] };
const source = (name: string, status = "ok", citations: unknown[] = []) => ({ domain: "wild", name, title: name.toUpperCase(), status, citations });
const answer = {
  id: "a1",
  role: "assistant",
  parts: [
    { type: "data-sources", data: { question: "q", products: [source("sightings", "ok", [{ key: "S-1", href: "/products/wild/sightings/records/S-1" }]), source("fleet")], timings: {} } },
    { type: "data-answer", data: { text: "Owls at S-1", citations: [{ product: "wild/sightings", key: "S-1", href: "x" }], links: [], plans: [{ product: "wild/sightings" }] } },
    { type: "text", text: "Barn owls nest at S-1 (zephyrquill)." },
  ],
};

describe("withheldAnswers", () => {
  it("names the products an answer drew on: searched or planned, cited, linked", () => {
    const linked = { role: "assistant", parts: [{ type: "data-answer", data: { citations: [], links: [{ from: { product: "a/x" }, to: { product: "b/y" } }], plans: [] } }] };
    expect(productsDrawnOn(answer)).toEqual(new Set(["wild/sightings", "wild/fleet"]));
    expect(productsDrawnOn(linked)).toEqual(new Set(["a/x", "b/y"]));
    // A product listed as skipped or restricted gave the answer nothing.
    expect(productsDrawnOn({ role: "assistant", parts: [{ type: "data-sources", data: { products: [source("p", "skipped"), source("q", "restricted")] } }] })).toEqual(new Set());
  });

  it("withholds an answer that drew on a product the reader may no longer read, keeping its sources marked restricted", () => {
    const [kept, withheld] = withheldAnswers([question, answer], new Set(["wild/sightings"]), accessPath) as [unknown, typeof answer];
    expect(kept).toBe(question);
    expect(JSON.stringify(withheld)).not.toContain("zephyrquill");
    expect(JSON.stringify(withheld)).not.toContain("S-1");
    expect(withheld.parts.map((part) => part.type)).toEqual(["data-sources", "text"]);
    const products = (withheld.parts[0] as { data: { products: { name: string; status: string; requestAccess?: string }[] } }).data.products;
    expect(products).toEqual([
      expect.objectContaining({ name: "sightings", status: "restricted", requestAccess: "/products/wild/sightings#access", citations: [] }),
      expect.objectContaining({ name: "fleet", status: "ok" }),
    ]);
    expect((withheld.parts[1] as { text: string }).text).toBe("This answer drew on SIGHTINGS, whose records you may no longer read (restricted: request access).");
  });

  it("leaves answers alone that drew on readable products only, and anything that is not a chat message", () => {
    const messages = [question, answer, "garbage", { role: "assistant" }];
    expect(withheldAnswers(messages, new Set(["other/product"]), accessPath)).toEqual(messages);
    expect(withheldAnswers(messages, new Set(), accessPath)).toBe(messages);
  });
});
