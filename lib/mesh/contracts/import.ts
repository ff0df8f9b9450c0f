import { parseAllDocuments } from "yaml";
import { isoDuration, parseFrequency } from "../frequency";
import { fieldNameSchema, FIELD_TYPES, UPDATE_FREQUENCIES, type FieldType, type ProductField, type ProductInput, type Sla } from "../../validation/product";
import { THRESHOLDS, type QualityRuleInput } from "../../validation/quality";
import { EVENT_TIME_FIELD, QUALITY_ENGINE, REJECT_LOAD, SLA_PROPERTIES } from "./export";

/**
 * Reading ODPS (data product) and ODCS (data contract) YAML documents into a
 * portal product. Every problem and every adjustment names its YAML path,
 * e.g. `schema[0].properties[3].logicalType: unknown type "bigint"`; what the
 * portal cannot represent is reported as a note, never dropped silently.
 * Pure: the use case (lib/services/contracts.ts) applies the result.
 */

export type ContractKind = "odps" | "odcs";

export interface PathMessage {
  path: string;
  message: string;
}

export interface ContractDocument {
  kind: ContractKind;
  data: Record<string, unknown>;
}

/** The product fields the documents define, with the YAML path each came from. */
export type MappedFields = Partial<Omit<ContractProduct, "domain" | "name">>;
type ContractProduct = Pick<ProductInput, "domain" | "name" | "title" | "description" | "owner" | "tags" | "status" | "version" | "schema" | "sla"> & {
  quality: QualityRuleInput[];
};

export interface MappedContract {
  domain?: string;
  name?: string;
  fields: MappedFields;
  /** Portal path ("schema.fields.2.type", "sla.freshnessHours") → YAML path, to name the source of later errors. */
  sources: Record<string, string>;
  errors: PathMessage[];
  notes: PathMessage[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const join = (base: string, key: string | number) => (typeof key === "number" ? `${base}[${key}]` : base ? `${base}.${key}` : key);

/** Splits YAML text into documents; syntax errors name line and column. */
export function parseContractYaml(text: string): { documents: ContractDocument[]; errors: PathMessage[] } {
  const documents: ContractDocument[] = [];
  const errors: PathMessage[] = [];
  const parsed = parseAllDocuments(text, { uniqueKeys: true });
  const all = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(parsed)) {
    errors.push({ path: "(document)", message: "The YAML is empty" });
    return { documents, errors };
  }
  all.forEach((document, index) => {
    const label = all.length > 1 ? `(document ${index + 1})` : "(document)";
    if (document.errors.length) {
      for (const error of document.errors) {
        const where = error.linePos?.[0] ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
        const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        errors.push({ path: label, message: `YAML syntax error${where}: ${message}` });
      }
      return;
    }
    const data: unknown = document.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) return;
    if (!isObject(data)) {
      errors.push({ path: label, message: "A document must be a YAML mapping (key: value)" });
      return;
    }
    if (data.kind === "DataProduct") documents.push({ kind: "odps", data });
    else if (data.kind === "DataContract") documents.push({ kind: "odcs", data });
    else errors.push({ path: label === "(document)" ? "kind" : `${label} kind`, message: `expected DataProduct (ODPS) or DataContract (ODCS), got ${JSON.stringify(data.kind ?? null)}` });
  });
  if (!documents.length && !errors.length) errors.push({ path: "(document)", message: "The YAML is empty" });
  return { documents, errors };
}

/** kebab-case, as product and domain names are. */
export const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const URN = /^urn:mesh:([a-z0-9-]+):([a-z0-9-]+)(?::contract)?$/;

/** Collects what one document maps to. */
class Mapping {
  readonly result: MappedContract = { fields: {}, sources: {}, errors: [], notes: [] };

  /** Records an error; returns undefined, for `return m.error(…)` where a value was expected. */
  error(path: string, message: string): undefined {
    this.result.errors.push({ path, message });
    return undefined;
  }

  note(path: string, message: string) {
    this.result.notes.push({ path, message });
  }

  /** Notes the keys of `object` that the portal does not read. */
  unread(object: Json, path: string, read: readonly string[]) {
    const left = Object.keys(object).filter((key) => !read.includes(key) && object[key] !== null && object[key] !== undefined);
    if (left.length) this.note(path || "(document)", `not represented in the portal, left out: ${left.join(", ")}`);
  }

  text(object: Json, key: string, path: string): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value.trim();
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    this.error(join(path, key), `expected text, got ${Array.isArray(value) ? "a list" : typeof value}`);
    return undefined;
  }

  set<K extends keyof MappedFields>(field: K, value: MappedFields[K], source: string) {
    this.result.fields[field] = value;
    this.result.sources[field] = source;
  }
}

function mapAddress(m: Mapping, doc: Json, kind: ContractKind) {
  const id = m.text(doc, "id", "");
  const urn = id ? URN.exec(id) : null;
  if (urn) {
    m.result.domain = urn[1];
    m.result.name = urn[2];
    m.result.sources.domain = "id";
    m.result.sources.name = "id";
    return;
  }
  const domain = m.text(doc, "domain", "");
  if (domain) {
    m.result.domain = slugify(domain);
    m.result.sources.domain = "domain";
    if (m.result.domain !== domain) m.note("domain", `"${domain}" is the domain ${m.result.domain}`);
  }
  const nameKey = kind === "odcs" && doc.dataProduct !== undefined ? "dataProduct" : "name";
  const name = m.text(doc, nameKey, "");
  if (name) {
    m.result.name = slugify(name);
    m.result.sources.name = nameKey;
    if (m.result.name !== name) m.note(nameKey, `"${name}" is the product name ${m.result.name}`);
  }
}

function mapMetadata(m: Mapping, doc: Json) {
  const title = m.text(doc, "name", "");
  if (title) m.set("title", title, "name");

  const version = m.text(doc, "version", "");
  if (version !== undefined) {
    const bare = version.replace(/^v(?=\d)/, "");
    if (!SEMVER.test(bare)) m.error("version", `"${version}" is not a semantic version such as 1.0.0`);
    else {
      if (bare !== version) m.note("version", `"${version}" is the version ${bare}`);
      m.set("version", bare, "version");
    }
  }

  const status = m.text(doc, "status", "");
  if (doc.deprecated === true) m.set("status", "deprecated", "deprecated");
  else if (status !== undefined) {
    const value = status.toLowerCase();
    const mapped = value === "proposed" ? "draft" : value === "retired" ? "deprecated" : value;
    if (mapped === "draft" || mapped === "active" || mapped === "deprecated") {
      if (mapped !== value) m.note("status", `"${status}" is the status ${mapped}`);
      m.set("status", mapped, "status");
    } else m.error("status", `unknown status "${status}" (draft, active and deprecated are kept; proposed becomes draft, retired deprecated)`);
  }

  mapDescription(m, doc);
  mapTags(m, doc);
  mapTeam(m, doc);
}

function mapDescription(m: Mapping, doc: Json) {
  const value = doc.description;
  if (value === undefined || value === null) return;
  if (typeof value === "string") {
    m.set("description", value.trim(), "description");
    return;
  }
  if (!isObject(value)) {
    m.error("description", "expected { purpose, limitations, usage }");
    return;
  }
  const parts: string[] = [];
  const purpose = m.text(value, "purpose", "description");
  if (purpose) parts.push(purpose);
  for (const [key, label] of [["limitations", "Limitations"], ["usage", "Usage"]] as const) {
    const text = m.text(value, key, "description");
    if (text) {
      parts.push(`${label}: ${text}`);
      m.note(`description.${key}`, `kept in the product's description as "${label}: …"`);
    }
  }
  m.unread(value, "description", ["purpose", "limitations", "usage"]);
  m.set("description", parts.join("\n\n"), parts.length > 1 || !purpose ? "description" : "description.purpose");
}

function mapTags(m: Mapping, doc: Json) {
  const value = doc.tags;
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    m.error("tags", "expected a list of tags");
    return;
  }
  const tags: string[] = [];
  value.forEach((tag, index) => {
    const path = join("tags", index);
    if (typeof tag !== "string") return m.error(path, "expected text");
    const normal = tag.trim().toLowerCase().replace(/[\s_]+/g, "-");
    if (!/^[a-z0-9][a-z0-9-]*$/.test(normal) || normal.length > 32) return m.error(path, `"${tag}" cannot be a tag: use letters, digits and hyphens, at most 32 characters`);
    if (tags.includes(normal)) return m.note(path, `"${tag}" repeats a tag and was left out`);
    if (normal !== tag) m.note(path, `"${tag}" is the tag ${normal}`);
    tags.push(normal);
  });
  m.set("tags", tags, "tags");
}

/** The owner: the member whose role names an owner, else the first member with an email address. */
function mapTeam(m: Mapping, doc: Json) {
  const team = doc.team;
  if (team === undefined || team === null) return;
  const membersPath = Array.isArray(team) ? "team" : "team.members";
  const members = Array.isArray(team) ? team : isObject(team) ? team.members : undefined;
  if (isObject(team)) m.unread(team, "team", ["members", "name"]);
  if (!Array.isArray(members)) {
    m.note("team", "no team members: the owner is not changed (a new product is owned by the importing user)");
    return;
  }
  const candidates = members
    .map((member, index) => ({ member: isObject(member) ? member : {}, index }))
    .filter(({ member }) => typeof member.username === "string" && EMAIL.test(member.username));
  const owner = candidates.find(({ member }) => typeof member.role === "string" && /owner/i.test(member.role)) ?? candidates[0];
  if (!owner) {
    m.note(membersPath, "no member has an email address as username: the owner is not changed (a new product is owned by the importing user)");
    return;
  }
  m.set("owner", String(owner.member.username), join(join(membersPath, owner.index), "username"));
  if (members.length > 1) m.note(membersPath, `only the owner (${String(owner.member.username)}) is kept; the portal's domain owners are managed on its admin page`);
}

const LOGICAL_TYPES: readonly string[] = [...FIELD_TYPES, "time", "object", "array"];
const INTEGER_PHYSICAL = /^(?:(?:big|small|tiny|medium)?int(?:eger)?\d*|long|short|byte|int(?:8|16|32|64|128)|u?int\d+|serial|bigserial)\b/i;
const TIMESTAMP_PHYSICAL = /^(?:timestamp|datetime)/i;

/** The portal type of an ODCS property: logicalType, refined by its format and physical type. */
function fieldType(m: Mapping, property: Json, path: string): FieldType | undefined {
  const physical = typeof property.physicalType === "string" ? property.physicalType : "";
  const options = isObject(property.logicalTypeOptions) ? property.logicalTypeOptions : {};
  const format = typeof options.format === "string" ? options.format : "";
  let logical = property.logicalType;
  if (logical === undefined || logical === null) {
    const guessed = physical ? typeFromPhysical(physical) : undefined;
    if (!guessed) {
      m.error(join(path, "logicalType"), physical ? `missing, and the physical type "${physical}" is not one the portal knows` : "missing: give one of string, integer, number, boolean, date, timestamp");
      return undefined;
    }
    m.note(join(path, "logicalType"), `missing: ${guessed}, from the physical type "${physical}"`);
    logical = guessed;
  }
  if (typeof logical !== "string" || !LOGICAL_TYPES.includes(logical)) {
    m.error(join(path, "logicalType"), `unknown type ${JSON.stringify(logical)}`);
    return undefined;
  }
  if (logical === "time" || logical === "object" || logical === "array") {
    m.error(join(path, "logicalType"), `"${logical}" cannot be represented: a field is one of ${FIELD_TYPES.join(", ")}`);
    return undefined;
  }
  if (logical === "number" && (/^[iu]\d+$/.test(format) || INTEGER_PHYSICAL.test(physical))) {
    m.note(join(path, "logicalType"), `number with integer ${format ? `format "${format}"` : `physical type "${physical}"`}: integer`);
    return "integer";
  }
  if (logical === "date" && (TIMESTAMP_PHYSICAL.test(physical) || /H/.test(format))) {
    m.note(join(path, "logicalType"), `date with a time of day (${format ? `format "${format}"` : `physical type "${physical}"`}): timestamp`);
    return "timestamp";
  }
  return logical as FieldType;
}

function typeFromPhysical(physical: string): FieldType | undefined {
  if (INTEGER_PHYSICAL.test(physical)) return "integer";
  if (TIMESTAMP_PHYSICAL.test(physical)) return "timestamp";
  if (/^(?:varchar|char|text|string|nvarchar|uuid)/i.test(physical)) return "string";
  if (/^(?:double|float|real|decimal|numeric|number)/i.test(physical)) return "number";
  if (/^bool/i.test(physical)) return "boolean";
  if (/^date$/i.test(physical)) return "date";
  return undefined;
}

const PII_CLASSES = /pii|personal|sensitive|restricted|confidential|secret/i;
const PROPERTY_KEYS = ["name", "logicalType", "required", "primaryKey", "primaryKeyPosition", "description", "classification", "quality"];

function mapSchema(m: Mapping, doc: Json) {
  const schema = doc.schema;
  if (schema === undefined || schema === null) return;
  if (!Array.isArray(schema)) return m.error("schema", "expected a list of schema objects");
  if (schema.length === 0) return m.note("schema", "empty: the product's schema is not changed");
  if (schema.length > 1) {
    m.error("schema", `a data product has one schema object; this contract has ${schema.length} (${schema.map((item) => (isObject(item) ? String(item.name) : "?")).join(", ")})`);
    return;
  }
  const errorsBefore = m.result.errors.length;
  const object = schema[0];
  if (!isObject(object)) return m.error("schema[0]", "expected a schema object { name, properties }");
  m.unread(object, "schema[0]", ["name", "logicalType", "physicalType", "properties", "quality"]);
  const properties = object.properties;
  if (!Array.isArray(properties) || properties.length === 0) return m.error("schema[0].properties", "a schema object needs at least one property");

  const fields: ProductField[] = [];
  const keys: { name: string; path: string }[] = [];
  properties.forEach((item, index) => {
    const path = join("schema[0].properties", index);
    if (!isObject(item)) return m.error(path, "expected a property { name, logicalType, … }");
    const name = m.text(item, "name", path);
    const parsedName = fieldNameSchema.safeParse(name);
    if (!name) return m.error(join(path, "name"), "missing");
    if (!parsedName.success) m.error(join(path, "name"), parsedName.error.issues[0]!.message);
    const type = fieldType(m, item, path);
    const primary = item.primaryKey === true;
    if (item.required !== undefined && typeof item.required !== "boolean") m.error(join(path, "required"), "expected true or false");
    let required = item.required === true;
    if (primary) {
      keys.push({ name, path: join(path, "primaryKey") });
      if (!required) {
        if (item.required === false) m.note(join(path, "required"), "a primary key is required: imported as required");
        required = true;
      }
    }
    const classification = m.text(item, "classification", path);
    const pii = classification ? PII_CLASSES.test(classification) : false;
    if (classification && !pii && !/^public$|^internal$/i.test(classification)) m.note(join(path, "classification"), `"${classification}" is not read as personal data (PII)`);
    m.unread(item, path, PROPERTY_KEYS);
    if (!type) return;
    const index_ = fields.length;
    fields.push({ name, type, required, description: m.text(item, "description", path) ?? "", pii });
    for (const key of ["name", "type", "required", "description", "pii"]) {
      m.result.sources[`schema.fields.${index_}.${key}`] = join(path, key === "type" ? "logicalType" : key === "pii" ? "classification" : key);
    }
  });
  if (keys.length === 0) m.error("schema[0].properties", "no property has primaryKey: true; the portal needs one primary key");
  if (keys.length > 1) m.error(keys[1]!.path, `composite primary keys cannot be represented (${keys.map((key) => key.name).join(", ")}): the portal keys records by one field`);
  mapQuality(m, [
    ...checksOf(object.quality, "schema[0].quality"),
    ...properties.flatMap((item, index) => (isObject(item) ? checksOf(item.quality, join(join("schema[0].properties", index), "quality"), item.name) : [])),
  ]);
  if (m.result.errors.length === errorsBefore) {
    m.set("schema", { primaryKey: keys[0]!.name, fields }, "schema[0].properties");
    m.result.sources["schema.primaryKey"] = keys[0]!.path;
  }
}

interface QualityCheck {
  item: unknown;
  path: string;
  /** The property the check is declared on; none for the schema object's checks. */
  property?: string;
}

function checksOf(list: unknown, path: string, property?: unknown): QualityCheck[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [{ item: list, path }];
  return list.map((item, index) => ({ item, path: join(path, index), ...(typeof property === "string" ? { property } : {}) }));
}

const LIBRARY_METRICS = ["nullValues", "duplicateValues", "invalidValues", "rowCount"];
const RULE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const CHECK_KEYS = ["type", "metric", "rule", "name", "description", "dimension", "severity", "unit", "customProperties", "arguments", "engine", "implementation", ...THRESHOLDS];

/**
 * ODCS quality checks as the portal's rules: library metrics it evaluates,
 * and the custom freshness check of its own engine. Checks it cannot run
 * (other metrics, SQL, other engines, operators it has no threshold for)
 * are reported and left out.
 */
function mapQuality(m: Mapping, checks: QualityCheck[]) {
  const rules: QualityRuleInput[] = [];
  const ids = new Set<string>();
  for (const check of checks) {
    const rule = qualityRule(m, check);
    if (!rule) continue;
    let id = rule.id;
    for (let n = 2; ids.has(id); n++) id = `${rule.id.slice(0, 60)}-${n}`;
    ids.add(id);
    m.result.sources[`quality.${rules.length}`] = check.path;
    rules.push({ ...rule, id });
  }
  if (rules.length) m.set("quality", rules, "schema[0]");
}

function qualityRule(m: Mapping, { item, path, property }: QualityCheck): QualityRuleInput | undefined {
  if (!isObject(item)) return m.error(path, "expected a quality check { type, metric, … }");
  const type = item.type ?? (item.metric !== undefined || item.rule !== undefined ? "library" : undefined);
  const implementation = isObject(item.implementation) ? item.implementation : undefined;
  let metric: string;
  let source: Json;
  if (type === "custom" && item.engine === QUALITY_ENGINE && implementation?.metric === "freshness") {
    metric = "freshness";
    source = implementation;
  } else if (type === "library") {
    metric = String(item.metric ?? item.rule);
    source = item;
    if (!LIBRARY_METRICS.includes(metric)) return void m.note(path, `the quality metric "${metric}" is not one the portal checks (${LIBRARY_METRICS.join(", ")}): left out`);
  } else {
    const engine = typeof item.engine === "string" ? ` (engine ${item.engine})` : "";
    return void m.note(path, `a ${typeof type === "string" ? type : "untyped"} quality check${engine} is not run by the portal: left out`);
  }
  const unsupported = ["mustNotBe", "mustBeBetween", "mustNotBeBetween"].filter((key) => source[key] !== undefined);
  if (unsupported.length) return void m.note(path, `${unsupported.join(", ")} cannot be represented (the portal's thresholds are ${THRESHOLDS.join(", ")}): left out`);
  const severity = item.severity === undefined || item.severity === "warning" || item.severity === "error" ? item.severity : "warning";
  if (severity !== item.severity) m.note(join(path, "severity"), `"${String(item.severity)}" is stored as warning (the portal's severities are warning and error)`);
  const unit = item.unit === undefined || item.unit === "rows" || item.unit === "percent" ? item.unit : undefined;
  if (item.unit !== undefined && unit === undefined) return void m.note(join(path, "unit"), `"${String(item.unit)}" is not a unit the portal counts in (rows, percent): left out`);
  const name = m.text(item, "name", path);
  const id = name && RULE_ID.test(name) ? name : slugify(name ?? "") || `${property ?? "product"}-${metric}`.toLowerCase().replace(/[^a-z0-9_-]/g, "-");
  const args = isObject(source.arguments) ? { ...source.arguments } : source.arguments;
  if (isObject(args) && Array.isArray(args.validValues)) {
    const values = args.validValues;
    const kept = values.filter((value) => typeof value === "string" || typeof value === "number");
    args.validValues = kept;
    if (kept.length < values.length) m.note(join(join(path, "arguments"), "validValues"), "only text and numbers are values (records without one are counted by a nullValues rule): the others are left out");
  }
  const custom = Array.isArray(item.customProperties) ? item.customProperties : [];
  const rejectLoad = custom.some((entry) => isObject(entry) && entry.property === REJECT_LOAD && entry.value === true);
  const description = m.text(item, "description", path);
  m.unread(item, path, CHECK_KEYS);
  const thresholds = THRESHOLDS.filter((key) => source[key] !== undefined);
  // `mustBe: 0` alone is what a counted metric must be anyway: stored as the default, as the export writes it.
  const stated = thresholds.length === 1 && thresholds[0] === "mustBe" && source.mustBe === 0 && metric !== "rowCount" && metric !== "freshness" ? [] : thresholds;
  return {
    id,
    ...(description ? { description } : {}),
    metric: metric as QualityRuleInput["metric"],
    ...(property ? { property } : {}),
    ...(args !== undefined ? { arguments: args as QualityRuleInput["arguments"] } : {}),
    ...Object.fromEntries(stated.map((key) => [key, source[key]])),
    ...(unit ? { unit } : {}),
    ...(severity ? { severity } : {}),
    ...(rejectLoad ? { rejectLoad } : {}),
  };
}

const HOURS: Record<string, number> = { ms: 1 / 3_600_000, s: 1 / 3600, min: 1 / 60, m: 1 / 60, h: 1, d: 24, w: 168, mo: 730, y: 8760 };
const UNIT_ALIASES: Record<string, string> = {
  millisecond: "ms", milliseconds: "ms", second: "s", seconds: "s", sec: "s", minute: "min", minutes: "min", mins: "min",
  hour: "h", hours: "h", hr: "h", hrs: "h", day: "d", days: "d", week: "w", weeks: "w", month: "mo", months: "mo",
  year: "y", years: "y", yr: "y", yrs: "y",
};
const unitOf = (unit: unknown) => (typeof unit === "string" ? (UNIT_ALIASES[unit.trim().toLowerCase()] ?? unit.trim().toLowerCase()) : undefined);

const SLA_SYNONYMS: Record<string, keyof Sla> = {
  [SLA_PROPERTIES.freshnessHours.toLowerCase()]: "freshnessHours",
  ly: "freshnessHours",
  freshness: "freshnessHours",
  [SLA_PROPERTIES.availabilityPercent.toLowerCase()]: "availabilityPercent",
  av: "availabilityPercent",
  [SLA_PROPERTIES.latencyMsP95.toLowerCase()]: "latencyMsP95",
  [SLA_PROPERTIES.retentionDays.toLowerCase()]: "retentionDays",
  re: "retentionDays",
  [SLA_PROPERTIES.updateFrequency.toLowerCase()]: "updateFrequency",
  fy: "updateFrequency",
};

const FREQUENCY_BY_HOURS: [number, Sla["updateFrequency"]][] = [[0, "realtime"], [1, "hourly"], [24, "daily"], [168, "weekly"], [730, "monthly"]];

/**
 * The SLA properties, and the event-time field: the element of latency or
 * retention, else the contract's custom property EVENT_TIME_FIELD, else ODCS
 * 3.0's slaDefaultElement (the element SLA checks run on by default).
 */
function mapSla(m: Mapping, doc: Json) {
  const items = doc.slaProperties ?? [];
  if (!Array.isArray(items)) return m.error("slaProperties", "expected a list of { property, value, unit }");
  const sla: Sla = {};
  items.forEach((item, index) => {
    const path = join("slaProperties", index);
    if (!isObject(item)) return m.error(path, "expected { property, value, unit }");
    const property = typeof item.property === "string" ? item.property : "";
    const field = SLA_SYNONYMS[property.toLowerCase()];
    if (!field) return m.note(path, `the SLA property "${property}" is not represented in the portal, left out`);
    if (sla[field] !== undefined) return m.note(path, `a second ${property}: only the first is kept`);
    const timed = field === "freshnessHours" || field === "retentionDays";
    m.unread(item, path, ["property", "value", "unit", "description", ...(timed ? ["element"] : [])]);
    const value = slaValue(m, field, item, path);
    if (value === undefined) return;
    (sla as Record<string, unknown>)[field] = value;
    m.result.sources[`sla.${field}`] = join(path, "value");
    if (timed && typeof item.element === "string") eventTimeField(m, sla, item.element, join(path, "element"));
  });
  mapCustomProperties(m, doc, sla);
  if (typeof doc.slaDefaultElement === "string") eventTimeField(m, sla, doc.slaDefaultElement, "slaDefaultElement");
  if (doc.slaProperties !== undefined && doc.slaProperties !== null) m.set("sla", sla, "slaProperties");
  else if (sla.eventTimeField) m.set("sla", sla, m.result.sources["sla.eventTimeField"]!);
}

/** The contract's custom properties: the portal reads EVENT_TIME_FIELD and reports the others. */
function mapCustomProperties(m: Mapping, doc: Json, sla: Sla) {
  const items = doc.customProperties;
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) return m.note("customProperties", "expected a list of { property, value }: left out");
  items.forEach((item, index) => {
    const path = join("customProperties", index);
    const property = isObject(item) && typeof item.property === "string" ? item.property : "";
    if (property === EVENT_TIME_FIELD && typeof item.value === "string") return eventTimeField(m, sla, item.value, join(path, "value"));
    m.note(path, `the custom property ${JSON.stringify(property || null)} is not represented in the portal, left out`);
  });
}

/** The field an age or a retention is measured on ("table.column" or "column"): the product's event-time field. */
function eventTimeField(m: Mapping, sla: Sla, element: string, path: string) {
  if (element.includes(",")) return m.note(path, `several elements (${element}): the event-time field is one field, left out`);
  const field = element.trim().split(".").at(-1)!;
  if (sla.eventTimeField === undefined) {
    sla.eventTimeField = field;
    m.result.sources["sla.eventTimeField"] = path;
  } else if (sla.eventTimeField !== field) m.note(path, `another element than ${sla.eventTimeField}: the event-time field is ${sla.eventTimeField}`);
}

function slaValue(m: Mapping, field: keyof Sla, item: Json, path: string): number | string | undefined {
  const value = item.value;
  const unit = unitOf(item.unit);
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : undefined;
  const inHours = () => {
    if (number === undefined) return m.error(join(path, "value"), `expected a number, got ${JSON.stringify(value)}`);
    if (!unit) return m.error(join(path, "unit"), "missing: give a time unit such as h or d");
    const factor = HOURS[unit];
    if (factor === undefined) return m.error(join(path, "unit"), `unknown time unit "${String(item.unit)}"`);
    return number * factor;
  };
  switch (field) {
    case "freshnessHours":
      return round(inHours());
    case "retentionDays": {
      const hours = inHours();
      if (hours === undefined) return undefined;
      const days = hours / 24;
      if (!Number.isInteger(days)) m.note(join(path, "value"), `${value} ${String(item.unit)} is ${Math.round(days)} days`);
      return Math.round(days);
    }
    case "latencyMsP95": {
      const hours = inHours();
      return hours === undefined ? undefined : Math.round(hours * 3_600_000);
    }
    case "availabilityPercent":
      if (number === undefined) return m.error(join(path, "value"), `expected a percentage, got ${JSON.stringify(value)}`);
      if (unit && unit !== "percent" && unit !== "%") return m.error(join(path, "unit"), `expected percent, got "${String(item.unit)}"`);
      return number;
    case "updateFrequency": {
      const written = typeof value === "string" ? parseFrequency(value) : null;
      if (written) return written.text;
      const hours = number !== undefined && unit ? number * (HOURS[unit] ?? Number.NaN) : Number.NaN;
      const match = FREQUENCY_BY_HOURS.find(([every]) => every === hours);
      if (match) return match[1];
      const interval = Number.isFinite(hours) ? parseFrequency(isoDuration(Math.round(hours * 3600))) : null;
      if (interval) return interval.text;
      m.note(path, `a frequency of ${JSON.stringify(value)}${item.unit ? ` ${String(item.unit)}` : ""} is not one of ${UPDATE_FREQUENCIES.join(", ")}: left out`);
      return undefined;
    }
  }
}

const round = (hours: number | undefined) => (hours === undefined ? undefined : Math.round(hours * 1000) / 1000);

function checkApiVersion(m: Mapping, doc: Json, kind: ContractKind) {
  const version = typeof doc.apiVersion === "string" ? doc.apiVersion : "";
  const supported = kind === "odcs" ? /^v3\.\d+\.\d+$/ : /^v(?:1\.\d+\.\d+|0\.9\.0)$/;
  if (!supported.test(version)) {
    m.error("apiVersion", `${JSON.stringify(doc.apiVersion ?? null)} is not supported: ${kind === "odcs" ? "ODCS v3 (v3.0.0 to v3.1.0)" : "ODPS v1 (or v0.9.0)"}`);
  }
}

const ODCS_KEYS = ["apiVersion", "kind", "id", "name", "version", "status", "domain", "dataProduct", "description", "tags", "team", "schema", "slaProperties", "slaDefaultElement", "customProperties"];
const ODPS_KEYS = ["apiVersion", "kind", "id", "name", "version", "status", "deprecated", "domain", "description", "tags", "team", "outputPorts"];

export function mapOdcs(doc: Json): MappedContract {
  const m = new Mapping();
  checkApiVersion(m, doc, "odcs");
  mapAddress(m, doc, "odcs");
  mapMetadata(m, doc);
  mapSchema(m, doc);
  mapSla(m, doc);
  m.unread(doc, "", ODCS_KEYS);
  return m.result;
}

export function mapOdps(doc: Json): MappedContract {
  const m = new Mapping();
  checkApiVersion(m, doc, "odps");
  mapAddress(m, doc, "odps");
  mapMetadata(m, doc);
  if (doc.outputPorts !== undefined && !Array.isArray(doc.outputPorts)) m.error("outputPorts", "expected a list of output ports");
  m.unread(doc, "", ODPS_KEYS);
  return m.result;
}

const prefix = (label: string, items: PathMessage[]) => items.map((item) => ({ path: `${label}:${item.path}`, message: item.message }));
const prefixSources = (label: string, sources: Record<string, string>) => Object.fromEntries(Object.entries(sources).map(([key, path]) => [key, `${label}:${path}`]));

/**
 * One product from at most one document of each kind: the ODPS document
 * gives the product's metadata, the ODCS document its schema, SLA and quality rules (and the
 * metadata when there is no ODPS document). With both, paths are prefixed by
 * `odps:` or `odcs:`.
 */
export function mapContracts(documents: ContractDocument[]): MappedContract {
  const odps = documents.filter((document) => document.kind === "odps");
  const odcs = documents.filter((document) => document.kind === "odcs");
  const result: MappedContract = { fields: {}, sources: {}, errors: [], notes: [] };
  if (odps.length > 1 || odcs.length > 1) {
    result.errors.push({ path: "(document)", message: "Import one product at a time: at most one DataProduct and one DataContract document" });
    return result;
  }
  if (!odps[0] || !odcs[0]) return odps[0] ? mapOdps(odps[0].data) : mapOdcs(odcs[0]!.data);

  const product = mapOdps(odps[0].data);
  const contract = mapOdcs(odcs[0].data);
  result.errors.push(...prefix("odps", product.errors), ...prefix("odcs", contract.errors));
  result.notes.push(...prefix("odps", product.notes), ...prefix("odcs", contract.notes));
  result.domain = product.domain ?? contract.domain;
  result.name = product.name ?? contract.name;
  result.sources = { ...prefixSources("odcs", contract.sources), ...prefixSources("odps", product.sources) };
  for (const key of ["domain", "name"] as const) {
    if (product[key] && contract[key] && product[key] !== contract[key]) {
      result.errors.push({ path: `odcs:${contract.sources[key]}`, message: `the contract is for ${key} ${contract[key]}, the data product is ${product[key]}` });
    }
  }
  result.fields = { ...contract.fields, ...product.fields };
  if (contract.fields.schema) result.fields.schema = contract.fields.schema;
  if (contract.fields.sla) result.fields.sla = contract.fields.sla;
  if (contract.fields.quality) result.fields.quality = contract.fields.quality;
  const ports = Array.isArray(odps[0].data.outputPorts) ? odps[0].data.outputPorts : [];
  const contractId = odcs[0].data.id;
  if (ports.length && !ports.some((port) => isObject(port) && port.contractId === contractId)) {
    result.notes.push({ path: "odps:outputPorts", message: `no output port names the contract's id ${JSON.stringify(contractId ?? null)}` });
  }
  return result;
}

/**
 * The YAML path of a portal path (as zod reports it, e.g. "schema.fields.2.name"):
 * its own source, else the nearest enclosing one.
 */
export function yamlPathOf(portalPath: string, sources: Record<string, string>): string {
  const parts = portalPath.split(".");
  for (let length = parts.length; length > 0; length--) {
    const source = sources[parts.slice(0, length).join(".")];
    if (source) return source;
  }
  return portalPath;
}
