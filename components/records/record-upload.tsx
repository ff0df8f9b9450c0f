"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type DragEvent } from "react";
import { CONTENT_TYPES } from "@/lib/ingest/rows";
import type { LoadReport } from "@/lib/services/records";
import { button, card } from "../ui/styles";
import { formatBytes, plural } from "./format";
import { previewFile, type Preview } from "./preview";
import { apiErrorOf } from "@/components/api-client";
import { recordsApiPath } from "@/lib/paths";

type Step =
  | { name: "idle" }
  | { name: "reading"; file: File }
  | { name: "ready"; file: File; preview: Preview }
  | { name: "sending"; file: File; preview: Preview; sent: number; request: XMLHttpRequest }
  | { name: "storing"; file: File; preview: Preview }
  | { name: "done"; file: File; report: LoadReport }
  | { name: "failed"; file: File; preview: Preview; message: string };

const FORMAT_LABEL = { csv: "CSV", json: "JSON array", ndjson: "NDJSON" } as const;
const ACCEPT = ".csv,.json,.ndjson,.jsonl,text/csv,application/json,application/x-ndjson";

/**
 * Loads a file of records into a product: choose or drop it, check the
 * preview of its first rows, upload with progress, read the report.
 */
export function RecordUpload({ domain, name, fields }: { domain: string; name: string; fields: string[] }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>({ name: "idle" });
  const [dragging, setDragging] = useState(false);

  async function choose(file: File | undefined) {
    if (!file) return;
    setStep({ name: "reading", file });
    setStep({ name: "ready", file, preview: await previewFile(file) });
  }

  function upload(file: File, preview: Preview) {
    const request = new XMLHttpRequest();
    request.open("POST", recordsApiPath({ domain, name }));
    request.setRequestHeader("Content-Type", CONTENT_TYPES[preview.format]);
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      setStep((current) => (current.name === "sending" ? { ...current, sent: event.loaded } : current));
    };
    request.upload.onload = () => setStep((current) => (current.name === "sending" ? { name: "storing", file, preview } : current));
    request.onload = () => {
      const body = request.response as unknown;
      if (request.status === 200 && body) {
        setStep({ name: "done", file, report: body as LoadReport });
        router.refresh();
      } else {
        setStep({ name: "failed", file, preview, message: apiErrorOf(request.status, body).message });
      }
    };
    request.onerror = () => setStep({ name: "failed", file, preview, message: "The upload failed: the server could not be reached" });
    request.onabort = () => setStep({ name: "ready", file, preview });
    setStep({ name: "sending", file, preview, sent: 0, request });
    request.send(file);
  }

  function reset() {
    if (input.current) input.current.value = "";
    setStep({ name: "idle" });
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  }

  const busy = step.name === "reading" || step.name === "sending" || step.name === "storing";

  return (
    <div className={step.name === "idle" ? "" : `${card} space-y-4 p-4`}>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        aria-label="Records file"
        tabIndex={-1}
        className="sr-only"
        onChange={(event) => void choose(event.target.files?.[0])}
      />
      {step.name === "idle" ? (
        <div
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`flex flex-wrap items-center justify-between gap-3 rounded-lg border-2 border-dashed px-4 py-5 transition ${
            dragging
              ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-500/10"
              : "border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900"
          }`}
        >
          <div className="text-sm">
            <p className="font-medium">Load records</p>
            <p className="text-zinc-500 dark:text-zinc-400">
              Drop a CSV, JSON array or NDJSON file here. Rows are checked against the schema and upserted by primary key.
            </p>
          </div>
          <button type="button" className={button.secondary} onClick={() => input.current?.click()}>
            Choose file
          </button>
        </div>
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="min-w-0 text-sm">
              <span className="font-mono font-medium">{step.file.name}</span>{" "}
              <span className="text-zinc-500 dark:text-zinc-400">
                {formatBytes(step.file.size)}
                {"preview" in step ? ` · ${FORMAT_LABEL[step.preview.format]}` : ""}
              </span>
            </p>
            <div className="flex gap-2">
              {step.name === "ready" || step.name === "failed" ? (
                <>
                  <button type="button" className={button.secondary} onClick={() => input.current?.click()}>
                    Choose another file
                  </button>
                  <button type="button" className={button.primary} onClick={() => upload(step.file, step.preview)}>
                    Upload
                  </button>
                </>
              ) : null}
              {step.name === "sending" ? (
                <button type="button" className={button.secondary} onClick={() => step.request.abort()}>
                  Cancel
                </button>
              ) : null}
              {step.name === "done" ? (
                <button type="button" className={button.secondary} onClick={reset}>
                  Load another file
                </button>
              ) : null}
            </div>
          </div>

          {step.name === "sending" || step.name === "storing" ? (
            <Progress sent={step.name === "sending" ? step.sent : step.file.size} total={step.file.size} storing={step.name === "storing"} />
          ) : null}
          {step.name === "failed" ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
              {step.message}
            </p>
          ) : null}
          {"preview" in step && step.name !== "storing" && step.name !== "sending" ? (
            <PreviewTable preview={step.preview} fields={fields} />
          ) : null}
          {step.name === "done" ? <Report report={step.report} /> : null}
        </>
      )}
      <p className="sr-only" aria-live="polite">
        {busy ? "Uploading" : step.name === "done" ? `${step.report.accepted} accepted, ${step.report.rejectedTotal} rejected` : ""}
      </p>
    </div>
  );
}

function Progress({ sent, total, storing }: { sent: number; total: number; storing: boolean }) {
  const percent = total > 0 ? Math.round((sent / total) * 100) : 100;
  return (
    <div className="space-y-1.5">
      <div
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`h-full rounded-full bg-indigo-600 transition-[width] dark:bg-indigo-500 ${storing ? "animate-pulse" : ""}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {storing
          ? "Uploaded. Checking and storing the records…"
          : `Uploading ${formatBytes(sent)} of ${formatBytes(total)} (${percent} %)`}
      </p>
    </div>
  );
}

const th = "whitespace-nowrap px-3 py-2 font-medium";
const td = "max-w-[14rem] truncate px-3 py-2";

function PreviewTable({ preview, fields }: { preview: Preview; fields: string[] }) {
  const known = new Set(fields);
  return (
    <div className="space-y-2">
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        Preview of the first {preview.rows.length === 1 ? "row" : `${preview.rows.length} rows`}
      </p>
      {preview.problem ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
          The start of this file could not be read as {FORMAT_LABEL[preview.format]}: {preview.problem}
        </p>
      ) : null}
      {preview.rows.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-xs" aria-label="Preview">
            <thead className="bg-zinc-50 text-left text-zinc-500 dark:bg-zinc-800/50 dark:text-zinc-400">
              <tr>
                <th scope="col" className={th}>
                  Index
                </th>
                {preview.columns.map((column) => (
                  <th
                    key={column}
                    scope="col"
                    className={`${th} font-mono ${known.has(column) ? "" : "text-amber-700 dark:text-amber-300"}`}
                    title={known.has(column) ? undefined : "Not a field of this product: a CSV file with this column is refused; a JSON row with a value here is rejected"}
                  >
                    {column}
                    {known.has(column) ? "" : " (unknown)"}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {preview.rows.map((row) => (
                <tr key={row.index}>
                  <td className={`${td} text-zinc-500 dark:text-zinc-400`}>{row.index}</td>
                  {"problem" in row ? (
                    <td colSpan={preview.columns.length || 1} className={`${td} text-red-700 dark:text-red-300`}>
                      {row.problem}
                    </td>
                  ) : (
                    preview.columns.map((column) => (
                      <td key={column} className={`${td} text-zinc-700 dark:text-zinc-300`} title={row.cells[column]}>
                        {row.cells[column] ?? ""}
                      </td>
                    ))
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function Report({ report }: { report: LoadReport }) {
  const lines = report.rejected.flatMap((rejection) =>
    rejection.errors.map((error, at) => ({ rejection, error, first: at === 0, span: rejection.errors.length })),
  );
  return (
    <div className="space-y-3">
      <p className="flex flex-wrap gap-2 text-sm font-medium">
        <Count count={report.accepted} label="accepted" tone="bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400" />
        <Count count={report.rejectedTotal} label="rejected" tone="bg-red-50 text-red-700 dark:bg-red-500/10 dark:text-red-300" />
      </p>
      {report.rejectedTotal > 0 ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {report.accepted > 0 ? "The valid rows were stored. " : "No row was stored. "}
            Fix the rows below and load the file again: stored rows are updated, not duplicated.
            {report.rejectedTotal > report.rejected.length
              ? ` Listing ${plural(report.rejected.length, "rejected row")} of ${report.rejectedTotal.toLocaleString("en")}${report.repeated.length ? "; rows with the same errors are counted below the table" : ""}.`
              : ""}
          </p>
          <div className="max-h-96 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-xs" aria-label="Rejected rows">
              <thead className="sticky top-0 bg-zinc-50 text-left text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
                <tr>
                  <th scope="col" className={th} title="Position in the file, from 0; a CSV header is not a row">
                    Index
                  </th>
                  <th scope="col" className={th}>
                    Key
                  </th>
                  <th scope="col" className={th}>
                    Field
                  </th>
                  <th scope="col" className={th}>
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {lines.map(({ rejection, error, first, span }) => (
                  <tr key={`${rejection.index}-${error.field}-${error.message}`} className="align-top">
                    {first ? (
                      <>
                        <td rowSpan={span} className="px-3 py-2 font-mono text-zinc-500 dark:text-zinc-400">
                          {rejection.index}
                        </td>
                        <td rowSpan={span} className="px-3 py-2 font-mono">
                          {rejection.key ?? "—"}
                        </td>
                      </>
                    ) : null}
                    <td className="px-3 py-2 font-mono">{error.field}</td>
                    <td className="px-3 py-2 text-red-700 dark:text-red-300">{error.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.repeated.length ? (
            <ul className="space-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Rows with the same errors">
              {report.repeated.map((group) => (
                <li key={group.message + group.errors.map((error) => error.field).join()}>
                  {group.message}:{" "}
                  {group.errors.map((error) => (
                    <span key={error.field + error.message} className="mr-2">
                      <span className="font-mono">{error.field}</span> <span className="text-red-700 dark:text-red-300">{error.message}</span>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** "12 accepted": coloured by `tone` when there are any, grey when none. */
function Count({ count, label, tone }: { count: number; label: string; tone: string }) {
  return (
    <span className={`rounded-md px-2 py-1 ${count > 0 ? tone : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"}`}>
      {count.toLocaleString("en")} {label}
    </span>
  );
}
