/**
 * Record text is data: it must not turn into links, emphasis or layout in an
 * answer. Pure function, used by the composer (lib/mesh/plan/compose.ts).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([\\`*_[\]()<>#|~])/g, "\\$1");
}
