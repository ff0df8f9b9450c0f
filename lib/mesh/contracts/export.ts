import { stringify } from "yaml";
import type { ProductField, ProductInput, Sla } from "../../validation/product";
import { THRESHOLDS, type QualityRule } from "../../validation/quality";

/**
 * A data product as open standards: the Open Data Product Standard (ODPS
 * v1.1.0) for the product and the Open Data Contract Standard (ODCS v3.1.0)
 * for its contract (schema, SLA and quality rules). Deterministic: no timestamps or database
 * ids, so that export → import → export gives the same text.
 */

export const ODPS_API_VERSION = "v1.1.0";
export const ODCS_API_VERSION = "v3.1.0";

/** What the standards carry of a product. */
export type ContractProduct = Pick<ProductInput, "domain" | "name" | "title" | "description" | "owner" | "tags" | "status" | "version" | "schema" | "sla" | "quality">;

/** Stable ids: the same product gets the same ids in every portal. */
export const productUrn = (product: { domain: string; name: string }) => `urn:mesh:${product.domain}:${product.name}`;
export const contractUrn = (product: { domain: string; name: string }) => `${productUrn(product)}:contract`;

/**
 * The SLA property names the portal reads and writes (ODCS "Data QoS" names;
 * latency is data freshness). The event-time field is not a property of its
 * own: it is the `element` of the latency and retention properties, or, for a
 * product with neither, the contract's custom property EVENT_TIME_FIELD.
 */
export const SLA_PROPERTIES = {
  freshnessHours: "latency",
  availabilityPercent: "availability",
  latencyMsP95: "queryLatencyP95",
  retentionDays: "retention",
  updateFrequency: "frequency",
} as const satisfies Record<Exclude<keyof Sla, "eventTimeField">, string>;

const description = (text: string) => (text ? { description: { purpose: text } } : {});

const team = (product: ContractProduct) => ({ members: [{ username: product.owner, role: "owner" }] });

export function toOdps(product: ContractProduct): Record<string, unknown> {
  return {
    apiVersion: ODPS_API_VERSION,
    kind: "DataProduct",
    id: productUrn(product),
    name: product.title,
    version: product.version,
    status: product.status,
    domain: product.domain,
    ...description(product.description),
    tags: product.tags,
    team: team(product),
    outputPorts: [
      {
        name: "records",
        description: "The product's records, served by the portal's REST API and MCP server",
        type: "api",
        version: product.version,
        contractId: contractUrn(product),
      },
    ],
  };
}

function property(field: ProductField, primaryKey: string, quality: QualityRule[]): Record<string, unknown> {
  const rules = quality.filter((rule) => rule.property === field.name);
  return {
    name: field.name,
    logicalType: field.type,
    required: field.required,
    ...(field.name === primaryKey ? { primaryKey: true } : {}),
    ...(field.description ? { description: field.description } : {}),
    ...(field.pii ? { classification: "pii" } : {}),
    ...(rules.length ? { quality: rules.map(qualityItem) } : {}),
  };
}

const DIMENSIONS: Record<QualityRule["metric"], string> = {
  nullValues: "completeness",
  duplicateValues: "uniqueness",
  invalidValues: "conformity",
  rowCount: "completeness",
  freshness: "timeliness",
};

/**
 * The contract's custom property naming the event-time field ("table.column",
 * as an element is written) when no latency or retention property carries it.
 * (ODCS 3.0's slaDefaultElement said the same; it is deprecated since 3.1.)
 */
export const EVENT_TIME_FIELD = "eventTimeField";

/** The engine named by a custom quality check only the portal runs (freshness is no ODCS library metric). */
export const QUALITY_ENGINE = "mesh-portal";
/** The custom property carrying a rule's rejectLoad. */
export const REJECT_LOAD = "rejectLoad";

/**
 * A rule as an ODCS quality check: a library metric (the rule's id is its
 * name), or for freshness a custom check of the portal's engine. Defaults
 * (unit rows, no rejectLoad) are left out; the default threshold is written.
 */
export function qualityItem(rule: QualityRule): Record<string, unknown> {
  // A library check states exactly one operator: a rule without one must be 0 (lib/mesh/quality.ts).
  const given = THRESHOLDS.filter((key) => rule[key] !== undefined);
  const thresholds = given.length ? Object.fromEntries(given.map((key) => [key, rule[key]])) : { mustBe: 0 };
  const common = {
    name: rule.id,
    ...(rule.description ? { description: rule.description } : {}),
    dimension: DIMENSIONS[rule.metric],
    severity: rule.severity,
    ...(rule.unit === "rows" ? {} : { unit: rule.unit }),
    ...(rule.rejectLoad ? { customProperties: [{ property: REJECT_LOAD, value: true }] } : {}),
  };
  if (rule.metric === "freshness") return { ...common, type: "custom", engine: QUALITY_ENGINE, implementation: { metric: "freshness", ...thresholds } };
  return { ...common, type: "library", metric: rule.metric, ...(rule.arguments ? { arguments: rule.arguments } : {}), ...thresholds };
}

const elementOf = (table: string, field: string) => `${table}.${field}`;

function slaProperties(sla: Sla, table: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const element = sla.eventTimeField ? { element: elementOf(table, sla.eventTimeField) } : {};
  if (sla.freshnessHours !== undefined) items.push({ property: SLA_PROPERTIES.freshnessHours, value: sla.freshnessHours, unit: "h", ...element, description: "Maximum age of the newest data" });
  if (sla.availabilityPercent !== undefined) items.push({ property: SLA_PROPERTIES.availabilityPercent, value: sla.availabilityPercent, unit: "percent" });
  if (sla.latencyMsP95 !== undefined) items.push({ property: SLA_PROPERTIES.latencyMsP95, value: sla.latencyMsP95, unit: "ms", description: "95th-percentile query latency" });
  if (sla.retentionDays !== undefined) items.push({ property: SLA_PROPERTIES.retentionDays, value: sla.retentionDays, unit: "d", ...element });
  if (sla.updateFrequency !== undefined) items.push({ property: SLA_PROPERTIES.updateFrequency, value: sla.updateFrequency });
  return items;
}

/** The event-time field as a custom property, when no SLA property has it as its element. */
function customProperties({ eventTimeField, freshnessHours, retentionDays }: Sla, table: string): Record<string, unknown>[] {
  if (!eventTimeField || freshnessHours !== undefined || retentionDays !== undefined) return [];
  return [{ property: EVENT_TIME_FIELD, value: elementOf(table, eventTimeField), description: "The field the age of the data is measured on" }];
}

export function toOdcs(product: ContractProduct): Record<string, unknown> {
  const sla = slaProperties(product.sla, product.name);
  const custom = customProperties(product.sla, product.name);
  const tableRules = product.quality.filter((rule) => !rule.property);
  return {
    apiVersion: ODCS_API_VERSION,
    kind: "DataContract",
    id: contractUrn(product),
    name: product.title,
    version: product.version,
    status: product.status,
    domain: product.domain,
    dataProduct: product.name,
    ...description(product.description),
    tags: product.tags,
    team: team(product),
    schema: [
      {
        name: product.name,
        logicalType: "object",
        physicalType: "table",
        properties: product.schema.fields.map((field) => property(field, product.schema.primaryKey, product.quality)),
        ...(tableRules.length ? { quality: tableRules.map(qualityItem) } : {}),
      },
    ],
    ...(sla.length ? { slaProperties: sla } : {}),
    ...(custom.length ? { customProperties: custom } : {}),
  };
}

/** YAML as people write it: block style, no line wrapping, no aliases. */
export const toYaml = (document: Record<string, unknown>) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
