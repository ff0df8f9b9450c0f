import { describe, expect, it, vi } from "vitest";
import { AppError } from "./errors";
import { errorResponse, MAX_BODY_BYTES, readJson, route } from "./http";

const URL_ = "http://localhost/api/products";

function jsonRequest(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(URL_, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

/** A body streamed in `chunks` pieces of `size` bytes, with no Content-Length. */
function streamOf(chunks: number, size: number, onPull?: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  }, { highWaterMark: 0 }); // pull only when read
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected readJson to reject");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readJson", () => {
  it("parses a JSON body", async () => {
    await expect(readJson(jsonRequest(JSON.stringify({ a: 1, b: ["é"] })))).resolves.toEqual({ a: 1, b: ["é"] });
  });

  it.each(["application/json; charset=utf-8", "application/problem+json", "Application/JSON"])(
    "accepts the content type %j",
    async (type) => {
      await expect(readJson(jsonRequest("[1]", { "content-type": type }))).resolves.toEqual([1]);
    },
  );

  it("decodes multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ word: "Grüße" }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    await expect(readJson(jsonRequest(body))).resolves.toEqual({ word: "Grüße" });
  });

  it.each([["text/plain"], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"]])(
    "rejects the content type %s with 415",
    async (type) => {
      const error = await rejection(readJson(jsonRequest("{}", { "content-type": type })));
      expect(error.status).toBe(415);
      expect(error.message).toContain(type);
    },
  );

  it("rejects a request without a content type with 415", async () => {
    const request = new Request(URL_, { method: "POST", body: new Uint8Array([0x7b, 0x7d]) });
    expect(request.headers.get("content-type")).toBeNull();
    const error = await rejection(readJson(request));
    expect(error.status).toBe(415);
    expect(error.message).toContain("got none");
  });

  it("rejects malformed JSON with 400", async () => {
    const error = await rejection(readJson(jsonRequest('{"title": ')));
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/^Malformed JSON: /);
  });

  it("refuses a key given twice with a 422 naming it, instead of keeping the last value", async () => {
    const error = await rejection(readJson(jsonRequest('{"title": "A", "schema": {"primaryKey": "id", "primaryKey": "x"}}')));
    expect(error.status).toBe(422);
    expect(error.fieldErrors).toEqual({ "schema.primaryKey": ["This key is given twice; give it once"] });
  });

  it("refuses a body that is not UTF-8 with a 422", async () => {
    const error = await rejection(readJson(jsonRequest(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xfc, 0x22, 0x7d]))));
    expect(error.status).toBe(422);
    expect(error.message).toBe("The body is not valid UTF-8; send JSON in UTF-8");
  });

  it("gives objects without a prototype, so __proto__ is data", async () => {
    const body = (await readJson(jsonRequest('{"__proto__": {"admin": true}}'))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(body["__proto__"]).toEqual({ admin: true });
  });

  it.each([["no body", null], ["empty body", ""], ["whitespace", " \n\t "]])("rejects %s with 400", async (_case, body) => {
    const error = await rejection(readJson(jsonRequest(body)));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/empty/);
  });

  it("rejects by Content-Length without reading the body", async () => {
    const pulled = vi.fn();
    const request = jsonRequest(streamOf(1, 10, pulled), { "content-length": String(MAX_BODY_BYTES + 1) });
    expect(request.headers.get("content-length")).toBe(String(MAX_BODY_BYTES + 1));
    const error = await rejection(readJson(request));
    expect(error.status).toBe(413);
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toBe("The request body exceeds 1024 KiB");
    expect(pulled).not.toHaveBeenCalled();
  });

  it("rejects a streamed body without Content-Length once it passes the limit, and stops reading", async () => {
    const pulled = vi.fn();
    // 64 chunks of 64 KiB = 4 MiB; the limit is passed in the 17th chunk.
    const request = jsonRequest(streamOf(64, 64 * 1024, pulled));
    expect(request.headers.get("content-length")).toBeNull();
    const error = await rejection(readJson(request));
    expect(error.status).toBe(413);
    expect(pulled.mock.calls.length).toBeLessThan(20);
  });

  it("rejects a body that understates its Content-Length", async () => {
    const request = jsonRequest(streamOf(3, 1000), { "content-length": "10" });
    const error = await rejection(readJson(request, 2500));
    expect(error.status).toBe(413);
  });

  it("accepts a body of exactly the limit", async () => {
    const body = `"${"x".repeat(98)}"`;
    expect(body).toHaveLength(100);
    await expect(readJson(jsonRequest(body), 100)).resolves.toBe("x".repeat(98));
    const error = await rejection(readJson(jsonRequest(`${body} `), 100));
    expect(error.status).toBe(413);
  });
});

describe("route and errorResponse", () => {
  it("turns an AppError into its status and JSON body", async () => {
    const handler = route(async () => {
      throw new AppError("conflict", "Already there", { name: ["taken"] });
    });
    const response = await handler(new Request(URL_), {});
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: "Already there", code: "conflict", fieldErrors: { name: ["taken"] } });
  });

  it("hides other errors behind a logged 500", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = errorResponse(new Error("secret connection string"));
      expect(response.status).toBe(500);
      const body = await response.json();
      expect(body).toEqual({ error: "Internal server error", code: "internal" });
      expect(JSON.stringify(body)).not.toContain("secret");
      expect(log).toHaveBeenCalledOnce();
    } finally {
      log.mockRestore();
    }
  });

  it("passes successful responses through", async () => {
    const handler = route(async (_request, context: { id: number }) => Response.json({ id: context.id }, { status: 201 }));
    const response = await handler(new Request(URL_), { id: 7 });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 7 });
  });
});

describe("route and the URL path", () => {
  it("answers a path with %00 or a broken escape with a 400 naming the segment, before the handler runs", async () => {
    const handler = vi.fn(async () => new Response("ran"));
    const wrapped = route(handler);
    const nul = await wrapped(new Request("http://localhost/api/products/payments/cases%00"), {});
    expect(nul.status).toBe(400);
    expect(await nul.json()).toEqual({ error: 'The URL path segment "cases%00" contains a NUL character (%00)', code: "bad_request" });
    expect((await wrapped(new Request("http://localhost/api/products/a/%E0%A4%A"), {})).status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
    expect(await (await wrapped(new Request("http://localhost/api/products/a/b%20c"), {})).text()).toBe("ran");
  });
});
