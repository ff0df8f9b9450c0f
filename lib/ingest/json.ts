/**
 * A strict JSON parser (RFC 8259) for untrusted input. Unlike JSON.parse it
 * refuses a key repeated within one object instead of keeping the last value,
 * builds objects without a prototype (so `__proto__` or `constructor` are
 * plain keys, never inherited members), and bounds the nesting depth. Free of
 * Node APIs: the browser's upload preview uses it too.
 */

export const MAX_DEPTH = 256;

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = "JsonSyntaxError";
  }
}

export class JsonRepeatedKeyError extends Error {
  /** Path of the repeated key, outermost first; the key is the last element. */
  constructor(readonly path: (string | number)[]) {
    super(`the key ${JSON.stringify(path.at(-1))} appears twice in one object`);
    this.name = "JsonRepeatedKeyError";
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseJson(text: string): unknown {
  let at = 0;
  const path: (string | number)[] = [];

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, at);
  };
  const unexpected = (): never =>
    fail(at >= text.length ? "Unexpected end of JSON input" : `Unexpected character ${JSON.stringify(text[at])}`);

  const skipSpace = () => {
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) at++;
      else return;
    }
  };

  const string = (): string => {
    at++;
    let out = "";
    let start = at;
    for (;;) {
      if (at >= text.length) fail("Unterminated string");
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        out += text.slice(start, at);
        at++;
        return out;
      }
      if (code === 0x5c) {
        out += text.slice(start, at);
        const escape = text[at + 1];
        if (escape === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!HEX4.test(hex)) fail("Bad Unicode escape");
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else if (escape !== undefined && escape in ESCAPES) {
          out += ESCAPES[escape];
          at += 2;
        } else {
          at++;
          fail("Bad escaped character");
        }
        start = at;
        continue;
      }
      if (code < 0x20) fail("Bad control character in string literal");
      at++;
    }
  };

  const literal = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, at)) unexpected();
    at += word.length;
    return value;
  };

  const number = (): number => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return unexpected();
    at += match[0].length;
    return Number(match[0]);
  };

  const value = (depth: number): unknown => {
    skipSpace();
    const char = text[at];
    if (char === "{" || char === "[") {
      if (depth >= MAX_DEPTH) fail(`Nested deeper than ${MAX_DEPTH} levels`);
      return char === "{" ? object(depth + 1) : array(depth + 1);
    }
    if (char === '"') return string();
    if (char === "t") return literal("true", true);
    if (char === "f") return literal("false", false);
    if (char === "n") return literal("null", null);
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return number();
    return unexpected();
  };

  const object = (depth: number): Record<string, unknown> => {
    at++;
    const result: Record<string, unknown> = Object.create(null);
    skipSpace();
    if (text[at] === "}") {
      at++;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') unexpected();
      const key = string();
      if (Object.hasOwn(result, key)) throw new JsonRepeatedKeyError([...path, key]);
      skipSpace();
      if (text[at] !== ":") unexpected();
      at++;
      path.push(key);
      result[key] = value(depth);
      path.pop();
      skipSpace();
      if (text[at] === ",") at++;
      else if (text[at] === "}") {
        at++;
        return result;
      } else unexpected();
    }
  };

  const array = (depth: number): unknown[] => {
    at++;
    const result: unknown[] = [];
    skipSpace();
    if (text[at] === "]") {
      at++;
      return result;
    }
    for (;;) {
      path.push(result.length);
      result.push(value(depth));
      path.pop();
      skipSpace();
      if (text[at] === ",") at++;
      else if (text[at] === "]") {
        at++;
        return result;
      } else unexpected();
    }
  };

  const result = value(0);
  skipSpace();
  if (at < text.length) unexpected();
  return result;
}
