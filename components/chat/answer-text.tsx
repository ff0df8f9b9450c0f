import Link from "next/link";
import type { ReactNode } from "react";

/**
 * Renders the small Markdown subset answers use: paragraphs, "- " lists,
 * tables ("| a | b |" rows under a header and a "| --- |" line), whole-line
 * _emphasis_, **bold**, [text](href) links and backslash escapes. Only links
 * inside the portal (starting with "/") become links; anything else stays text.
 */

type Inline = { kind: "text" | "bold"; text: string } | { kind: "link"; text: string; href: string };

export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let text = "";
  let bold = false;
  const flush = () => {
    if (text) out.push({ kind: bold ? "bold" : "text", text });
    text = "";
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\\" && i + 1 < source.length) {
      text += source[++i];
    } else if (char === "*" && source[i + 1] === "*") {
      flush();
      bold = !bold;
      i++;
    } else if (char === "[") {
      // "//host" and "/\host" are other sites (protocol-relative), not portal paths.
      const link = /^\[((?:\\.|[^\]\\])*)\]\((\/(?![/\\])[^)\s]*)\)/.exec(source.slice(i));
      if (link) {
        flush();
        out.push({ kind: "link", text: link[1]!.replace(/\\(.)/g, "$1"), href: link[2]! });
        i += link[0].length - 1;
      } else {
        text += char;
      }
    } else {
      text += char;
    }
  }
  flush();
  return out;
}

function inline(source: string): ReactNode[] {
  return parseInline(source).map((piece, index) => {
    if (piece.kind === "bold") return <strong key={index}>{piece.text}</strong>;
    if (piece.kind === "link") {
      return (
        <Link key={index} href={piece.href} className="font-medium text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400">
          {piece.text}
        </Link>
      );
    }
    return <span key={index}>{piece.text}</span>;
  });
}

/** The cells of a table row: split on "|" that are not escaped. */
export function cells(row: string): string[] {
  return row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/).map((cell) => cell.trim());
}

function Table({ rows }: { rows: string[] }) {
  const [head, , ...body] = rows;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-left text-xs">
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-700">
            {cells(head ?? "").map((cell, index) => (
              <th key={index} scope="col" className="px-2 py-1 font-semibold text-zinc-600 dark:text-zinc-300">
                {inline(cell)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row, index) => (
            <tr key={index} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              {cells(row).map((cell, column) => (
                <td key={column} className="px-2 py-1 align-top">
                  {inline(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AnswerText({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  let list: string[] = [];
  let table: string[] = [];
  const endTable = () => {
    if (table.length >= 2) blocks.push(<Table key={blocks.length} rows={table} />);
    else for (const line of table) blocks.push(<p key={blocks.length}>{inline(line)}</p>);
    table = [];
  };
  const endList = () => {
    if (list.length) {
      blocks.push(
        <ul key={blocks.length} className="list-disc space-y-1.5 pl-5">
          {list.map((item, index) => (
            <li key={index}>{inline(item)}</li>
          ))}
        </ul>,
      );
    }
    list = [];
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("|")) {
      endList();
      table.push(line);
      continue;
    }
    endTable();
    if (line.startsWith("- ")) {
      list.push(line.slice(2));
      continue;
    }
    endList();
    const emphasis = /^_(.+)_$/.exec(line.trim());
    if (emphasis) blocks.push(<p key={blocks.length} className="italic text-zinc-500 dark:text-zinc-400">{inline(emphasis[1]!)}</p>);
    else if (line.trim()) blocks.push(<p key={blocks.length}>{inline(line)}</p>);
  }
  endTable();
  endList();
  return <div className="space-y-3 leading-relaxed">{blocks}</div>;
}
