import type { HealthHistory } from "@/lib/mesh/health-history";

/**
 * Compliance over time: the age of the data and the p95 latency per day
 * against their targets, and the quality pass rate per load. Drawn on the
 * server as plain SVG (a line chart of at most 90 points needs no browser
 * library); each point's value is its tooltip (<title>).
 */

const WIDTH = 320;
const HEIGHT = 160;
const PAD = { top: 8, right: 8, bottom: 20, left: 40 };

type Point = { label: string; value: number | null; note?: string };

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (a round top for the axis). */
function roundUp(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * power).find((top) => top >= value)!;
}

const formatTick = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

function LineChart({
  title,
  points,
  unit,
  target,
  top,
  step,
  stroke,
}: {
  title: string;
  points: Point[];
  unit: string;
  target?: number | null;
  top?: number;
  step?: boolean;
  stroke: string;
}) {
  const values = points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const yTop = top ?? roundUp(Math.max(...values, target ?? 0) * 1.1);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (points.length === 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const y = (value: number) => PAD.top + plotHeight - (Math.min(value, yTop) / yTop) * plotHeight;
  const drawn = points.flatMap((point, index) => (point.value === null ? [] : [{ ...point, value: point.value, x: x(index), y: y(point.value) }]));
  // Straight segments between the measured points (days without a value are skipped), or steps.
  const path = drawn
    .map((point, index) => (index === 0 ? `M${point.x},${point.y}` : step ? `H${point.x}V${point.y}` : `L${point.x},${point.y}`))
    .join("");
  const labels = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const latest = drawn.at(-1);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="h-40 w-full overflow-visible"
      role="img"
      aria-label={`${title}: ${latest ? `latest ${latest.value} ${unit} (${latest.label})` : "nothing measured"}${target != null ? `, target ${target} ${unit}` : ""}`}
    >
      {[0, yTop / 2, yTop].map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="var(--chart-grid)" />
          <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={10} fill="var(--chart-axis)">
            {formatTick(tick)}
          </text>
        </g>
      ))}
      {labels.map((index) => (
        <text
          key={index}
          x={x(index)}
          y={HEIGHT - 4}
          textAnchor={points.length === 1 ? "middle" : index === 0 ? "start" : index === points.length - 1 ? "end" : "middle"}
          fontSize={10}
          fill="var(--chart-axis)"
        >
          {points[index]!.label}
        </text>
      ))}
      {target != null ? (
        <g>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(target)} y2={y(target)} stroke="var(--chart-target)" strokeDasharray="4 4" />
          <text x={WIDTH - PAD.right} y={y(target) - 4} textAnchor="end" fontSize={10} fill="var(--chart-target)">
            target
          </text>
        </g>
      ) : null}
      <path d={path} fill="none" stroke={stroke} strokeWidth={2} strokeLinejoin="round" />
      {drawn.map((point) => (
        <circle key={point.x} cx={point.x} cy={point.y} r={step ? 3 : 2.5} fill={stroke}>
          <title>{`${point.label}: ${point.value} ${unit}${point.note ?? ""}`}</title>
        </circle>
      ))}
    </svg>
  );
}

function Panel({ title, empty, children }: { title: string; empty: boolean; children: React.ReactNode }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{title}</figcaption>
      {empty ? (
        <p className="flex h-40 items-center justify-center rounded-lg border border-dashed border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Nothing measured yet
        </p>
      ) : (
        children
      )}
    </figure>
  );
}

const shortDate = (date: string) => date.slice(5);

export function ComplianceChart({ history }: { history: HealthHistory }) {
  const days = history.days;
  const freshnessTarget = days.findLast((day) => day.freshnessTargetHours !== null)?.freshnessTargetHours ?? null;
  const latencyTarget = days.findLast((day) => day.latencyTargetMs !== null)?.latencyTargetMs ?? null;
  const freshness = days.map((day) => ({ label: shortDate(day.date), value: day.freshnessHours }));
  const latency = days.map((day) => ({ label: shortDate(day.date), value: day.latencyMsP95 }));
  const quality = history.loads.map((load) => ({
    label: `${load.at.slice(5, 10)} ${load.at.slice(11, 16)}`,
    value: load.qualityPassRate,
    note: load.outcome === "rejected" ? " (load rejected)" : "",
  }));
  const titles = {
    freshness: "Freshness: age of the newest data per day (h)",
    latency: "Latency: p95 of semantic queries per day (ms)",
    quality: "Quality: rules passing after each load (%)",
  };
  return (
    <div className="grid gap-6 md:grid-cols-3" data-testid="compliance-chart">
      <Panel title={titles.freshness} empty={freshness.every((point) => point.value === null)}>
        <LineChart title={titles.freshness} points={freshness} unit="h" target={freshnessTarget} stroke="var(--chart-line)" />
      </Panel>
      <Panel title={titles.latency} empty={latency.every((point) => point.value === null)}>
        <LineChart title={titles.latency} points={latency} unit="ms" target={latencyTarget} stroke="var(--chart-line-2)" />
      </Panel>
      <Panel title={titles.quality} empty={quality.every((point) => point.value === null)}>
        <LineChart title={titles.quality} points={quality} unit="%" top={100} step stroke="var(--chart-line)" />
      </Panel>
    </div>
  );
}
