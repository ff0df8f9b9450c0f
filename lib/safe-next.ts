/** A same-site path to return to after signing in; anything else becomes the catalog. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/products";
  return next;
}
