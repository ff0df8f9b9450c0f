import Link from "next/link";
import type { CheckStatus, Health } from "@/lib/mesh/health";
import { quantityText } from "@/lib/mesh/quality";
import { recordPath } from "@/lib/paths";
import { card } from "../ui/styles";
import { CheckNowButton } from "./health-actions";
import { HealthBadge } from "./health-badge";
import { PurgeButton } from "./purge-button";

const number = (value: number, digits = 2) => value.toLocaleString("en", { maximumFractionDigits: digits });
const hours = (value: number | null) =>
  value === null ? null : value < 1 ? `${number(value * 60, 0)} min` : value < 48 ? `${number(value, 1)} h` : `${number(value / 24, 1)} days`;
const plural = (count: number, word: string, words = `${word}s`) => `${count.toLocaleString("en")} ${count === 1 ? word : words}`;

interface Row {
  label: string;
  status: CheckStatus;
  target: string | null;
  measured: string | null;
  since: string | null;
}

function rows({ sla }: Health): Row[] {
  const { freshness, updateFrequency, availability, latency, retention, volume } = sla;
  return [
    {
      label: "Freshness",
      ...freshness,
      target: freshness.targetHours === null ? null : `≤ ${hours(freshness.targetHours)}`,
      measured: freshness.measuredHours === null ? null : `${hours(freshness.measuredHours)} old (${freshness.basis === "event_time" ? "newest event" : "last load"})`,
    },
    {
      label: "Update frequency",
      ...updateFrequency,
      target: updateFrequency.target,
      measured: updateFrequency.measuredHours === null ? null : `longest gap ${hours(updateFrequency.measuredHours)}`,
    },
    {
      label: "Availability",
      ...availability,
      target: availability.targetPercent === null ? null : `≥ ${availability.targetPercent} %`,
      measured: availability.measuredPercent === null ? null : `${number(availability.measuredPercent)} % of ${plural(availability.requests, "request")} (${availability.windowHours} h)`,
    },
    {
      label: "Latency (p95)",
      ...latency,
      target: latency.targetMsP95 === null ? null : `≤ ${latency.targetMsP95.toLocaleString("en")} ms`,
      measured: latency.measuredMsP95 === null ? null : `${latency.measuredMsP95.toLocaleString("en")} ms over ${plural(latency.queries, "query", "queries")}`,
    },
    {
      label: "Retention",
      ...retention,
      target: retention.targetDays === null ? null : plural(retention.targetDays, "day"),
      measured:
        retention.expiredRecords !== null
          ? `${plural(retention.expiredRecords, "record")} past retention`
          : retention.targetDays !== null
            ? "needs an event-time field"
            : null,
    },
    {
      label: "Volume",
      ...volume,
      target: volume.expectedMin === null ? null : `≥ ${plural(volume.expectedMin, "row")} a load`,
      measured: volume.lastLoad === null ? null : `${plural(volume.lastLoad, "row")} in the last load`,
    },
  ];
}

const STATUS_TEXT: Record<CheckStatus, string> = {
  met: "text-emerald-700 dark:text-emerald-400",
  breached: "text-red-700 dark:text-red-400",
  unknown: "text-zinc-500 dark:text-zinc-400",
};

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The product page's health: each check with its target, what was measured and since when it holds. */
export function HealthPanel({ domain, name, health, canEdit }: { domain: string; name: string; health: Health; canEdit: boolean }) {
  const canPurge = canEdit && health.sla.retention.status === "breached";
  return (
    <div className={`${card} text-sm`} data-testid="health-panel">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-100 px-4 py-2.5 dark:border-zinc-800">
        <span className="flex items-center gap-2">
          <HealthBadge status={health.status} />
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            checked <time dateTime={health.checkedAt}>{when(health.checkedAt)}</time>
          </span>
        </span>
        {canEdit ? <CheckNowButton domain={domain} name={name} /> : null}
      </div>
      <table className="w-full">
        <caption className="sr-only">Service-level checks</caption>
        <thead className="text-left text-xs text-zinc-500 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Check</th>
            <th scope="col" className="px-2 py-2 font-medium">Target</th>
            <th scope="col" className="px-4 py-2 font-medium">Measured</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows(health).map((row) => (
            <tr key={row.label} className="align-top">
              <th scope="row" className="px-4 py-2 text-left font-normal text-zinc-600 dark:text-zinc-300">
                {row.label}
              </th>
              <td className="whitespace-nowrap px-2 py-2 font-medium">{row.target ?? <span className="font-normal text-zinc-400">not set</span>}</td>
              <td className="px-4 py-2">
                <span className={`font-medium ${STATUS_TEXT[row.status]}`}>{row.status}</span>
                {row.measured ? <span className="block text-xs text-zinc-600 dark:text-zinc-300">{row.measured}</span> : null}
                {row.since && row.status !== "unknown" ? (
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    since <time dateTime={row.since}>{when(row.since)}</time>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {health.quality.length ? <QualityResults domain={domain} name={name} results={health.quality} /> : null}
      {canPurge ? (
        <div className="border-t border-zinc-100 px-4 py-3 dark:border-zinc-800">
          <PurgeButton domain={domain} name={name} />
        </div>
      ) : null}
    </div>
  );
}

const RESULT_TEXT: Record<Health["quality"][number]["status"], string> = {
  passed: STATUS_TEXT.met,
  failed: STATUS_TEXT.breached,
  unknown: STATUS_TEXT.unknown,
};

/** Each quality rule's result: the metric's value against the threshold, and a few failing records. */
function QualityResults({ domain, name, results }: { domain: string; name: string; results: Health["quality"] }) {
  return (
    <section aria-label="Data quality" className="border-t border-zinc-100 dark:border-zinc-800">
      <h3 className="px-4 pt-3 text-xs font-medium text-zinc-500 dark:text-zinc-400">Data quality</h3>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {results.map((result) => (
          <li key={result.rule} className="px-4 py-2">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-mono text-xs">{result.rule}</span>
              <span className={`text-xs font-medium ${RESULT_TEXT[result.status]}`}>
                {result.status}
                {result.severity === "error" ? " · error" : " · warning"}
              </span>
            </div>
            <p className="text-xs text-zinc-600 dark:text-zinc-300">
              {result.metric}: {result.value === null ? "not measured" : result.unit === "hours" ? hours(result.value) : quantityText(result.value, result.unit)} (expected{" "}
              {result.expected})
            </p>
            {result.failingKeys.length ? (
              <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                {plural(result.failing, "failing record")}:{" "}
                {result.failingKeys.slice(0, 5).map((key, index) => (
                  <span key={key}>
                    {index ? ", " : ""}
                    <Link href={recordPath({ domain, name }, key)} className="font-mono text-indigo-600 hover:underline dark:text-indigo-400">
                      {key}
                    </Link>
                  </span>
                ))}
                {result.failing > 5 ? ", …" : ""}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
