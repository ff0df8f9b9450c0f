"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HealthHistory } from "@/lib/mesh/health-history";

const axis = { stroke: "var(--chart-axis)", fontSize: 11, tickLine: false } as const;
const tooltip = {
  contentStyle: { background: "var(--chart-tooltip-bg)", border: "1px solid var(--chart-tooltip-border)", borderRadius: 8, fontSize: 12 },
  labelStyle: { color: "var(--chart-axis)" },
} as const;

function Panel({ title, empty, children }: { title: string; empty: boolean; children: React.ReactElement }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">{title}</figcaption>
      {empty ? (
        <p className="flex h-40 items-center justify-center rounded-lg border border-dashed border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          Nothing measured yet
        </p>
      ) : (
        <div className="h-40">
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

const shortDate = (date: string) => date.slice(5);

/**
 * Compliance over time: the age of the data and the p95 latency per day
 * against their targets, and the quality pass rate per load.
 */
export function ComplianceChart({ history }: { history: HealthHistory }) {
  const days = history.days;
  const freshnessTarget = days.findLast((day) => day.freshnessTargetHours !== null)?.freshnessTargetHours ?? null;
  const latencyTarget = days.findLast((day) => day.latencyTargetMs !== null)?.latencyTargetMs ?? null;
  const loads = history.loads.map((load) => ({ ...load, label: `${load.at.slice(5, 10)} ${load.at.slice(11, 16)}` }));
  return (
    <div className="grid gap-6 md:grid-cols-3" data-testid="compliance-chart">
      <Panel title="Freshness: age of the newest data per day (h)" empty={days.every((day) => day.freshnessHours === null)}>
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={16} />
          <YAxis {...axis} width={48} />
          <Tooltip {...tooltip} formatter={(value) => [`${value} h`, "age"]} />
          {freshnessTarget !== null ? <ReferenceLine y={freshnessTarget} ifOverflow="extendDomain" stroke="var(--chart-target)" strokeDasharray="4 4" label={{ value: "target", fill: "var(--chart-target)", fontSize: 10, position: "insideTopRight" }} /> : null}
          <Line type="monotone" dataKey="freshnessHours" name="age" stroke="var(--chart-line)" strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
        </LineChart>
      </Panel>
      <Panel title="Latency: p95 of semantic queries per day (ms)" empty={days.every((day) => day.latencyMsP95 === null)}>
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey="date" tickFormatter={shortDate} {...axis} minTickGap={16} />
          <YAxis {...axis} width={48} />
          <Tooltip {...tooltip} formatter={(value) => [`${value} ms`, "p95"]} />
          {latencyTarget !== null ? <ReferenceLine y={latencyTarget} ifOverflow="extendDomain" stroke="var(--chart-target)" strokeDasharray="4 4" label={{ value: "target", fill: "var(--chart-target)", fontSize: 10, position: "insideTopRight" }} /> : null}
          <Line type="monotone" dataKey="latencyMsP95" name="p95" stroke="var(--chart-line-2)" strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
        </LineChart>
      </Panel>
      <Panel title="Quality: rules passing after each load (%)" empty={loads.every((load) => load.qualityPassRate === null)}>
        <LineChart data={loads} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey="label" {...axis} minTickGap={24} />
          <YAxis {...axis} width={48} domain={[0, 100]} />
          <Tooltip {...tooltip} formatter={(value, _name, item) => [`${value} %${item.payload.outcome === "rejected" ? " (load rejected)" : ""}`, "passing"]} />
          <Line type="stepAfter" dataKey="qualityPassRate" name="passing" stroke="var(--chart-line)" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
        </LineChart>
      </Panel>
    </div>
  );
}
