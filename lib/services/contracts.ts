import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import { findProduct, getProduct } from "../db/products";
import { AppError, toFieldErrors, type FieldErrors } from "../errors";
import { diffFields } from "../mesh/audit";
import { eventTimeFieldProblem } from "../mesh/health";
import { toOdcs, toOdps, toYaml } from "../mesh/contracts/export";
import { mapContracts, parseContractYaml, yamlPathOf, type MappedContract, type PathMessage } from "../mesh/contracts/import";
import { schemaChangeProblems } from "../mesh/product";
import { breakingChangeAllowed, classifySchemaChange, diffSchemas, nextMajor } from "../mesh/schema-versions";
import type { ProductRef } from "../paths";
import type { ImportOptions } from "../validation/contracts";
import { productInputSchema, type Product, type ProductInput } from "../validation/product";
import { editProduct, registerProduct } from "./products";

/**
 * Contracts as code: a product exported as ODPS and ODCS YAML, and YAML
 * documents imported as a new or changed product, through the same use cases
 * (and rights, and checks) as the forms and the REST API. An import stores
 * nothing unless every part of every document is valid.
 */

export async function exportOdps(reader: Actor | null, { domain, name }: ProductRef): Promise<string> {
  requireRead(reader);
  return toYaml(toOdps(await getProduct(domain, name)));
}

export async function exportOdcs(reader: Actor | null, { domain, name }: ProductRef): Promise<string> {
  requireRead(reader);
  return toYaml(toOdcs(await getProduct(domain, name)));
}

const EDITABLE = ["title", "description", "owner", "tags", "status", "version", "schema", "sla", "quality"] as const;

export interface ImportResult {
  dryRun: boolean;
  action: "create" | "update" | "unchanged";
  domain: string;
  name: string;
  changes: { field: string; from: unknown; to: unknown }[];
  schemaChanges: ReturnType<typeof diffSchemas>;
  /** Why the import would be refused although the documents are valid (dry runs report them). */
  conflicts: string[];
  notes: PathMessage[];
  product?: Product;
}

function invalid(message: string, issues: PathMessage[]): AppError {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) (fieldErrors[issue.path] ??= []).push(issue.message);
  return new AppError("validation", `${message}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, fieldErrors);
}

/** Re-keys an error's portal field paths ("schema.fields.2.name") by YAML path. */
function atYamlPaths(error: AppError, sources: Record<string, string>): AppError {
  if (!error.fieldErrors) return error;
  const fieldErrors: FieldErrors = {};
  for (const [field, messages] of Object.entries(error.fieldErrors)) (fieldErrors[yamlPathOf(field, sources)] ??= []).push(...messages);
  return new AppError(error.code, error.message, fieldErrors);
}

/** The product the documents describe, complete and parsed, or a 422 naming YAML paths. */
function productOf(mapped: MappedContract, address: ProductRef, current: Product | null, actor: Actor): ProductInput {
  const missing: PathMessage[] = [];
  const fields = { ...mapped.fields };
  if (!current) {
    if (!fields.schema) missing.push({ path: "schema", message: "a new product needs its contract's schema: import the ODCS document with schema[0].properties" });
    if (!fields.owner) {
      fields.owner = actor.email;
      mapped.notes.push({ path: "team", message: `no owner email in the documents: the owner is ${actor.email}` });
    }
    if (!fields.title) {
      fields.title = address.name;
      mapped.notes.push({ path: "name", message: `no name: the title is ${address.name}` });
    }
  }
  if (missing.length) throw invalid("The documents cannot make a product", missing);
  // Visibility is the portal's own (no contract field carries it): an import keeps it.
  const base = current ? { ...Object.fromEntries(EDITABLE.map((field) => [field, current[field]])), visibility: current.visibility } : {};
  const merged = { ...base, ...fields } as Partial<ProductInput>;
  // An SLA element that is no date or timestamp field of the product cannot be its event time: reported, left out.
  const problem = merged.sla?.eventTimeField && merged.schema ? eventTimeFieldProblem(merged.schema, merged.sla.eventTimeField) : null;
  if (problem && merged.sla) {
    mapped.notes.push({ path: mapped.sources["sla.eventTimeField"] ?? "slaProperties", message: `${problem}: the event-time field is left out` });
    const { eventTimeField: _left, ...sla } = merged.sla;
    merged.sla = sla;
  }
  const parsed = productInputSchema.safeParse({ ...merged, domain: address.domain, name: address.name });
  if (!parsed.success) {
    const issues = Object.entries(toFieldErrors(parsed.error)).flatMap(([field, messages]) => messages.map((message) => ({ path: yamlPathOf(field, mapped.sources), message })));
    throw invalid("The documents do not make a valid product", issues);
  }
  return parsed.data;
}

/** What the stored product's own checks would refuse (the import runs them again when it writes). */
function conflictsOf(current: Product, next: ProductInput): string[] {
  const conflicts: string[] = [];
  const { breaking } = classifySchemaChange(current.schema, next.schema);
  if (breaking.length && !breakingChangeAllowed(current.version, next.version)) {
    conflicts.push(`Breaking schema change (${breaking.map((item) => item.message).join("; ")}): set version to ${nextMajor(current.version)} or higher`);
  }
  const problems = current.recordCount > 0 ? schemaChangeProblems(current.schema, next.schema) : [];
  if (problems.length) conflicts.push(`The schema change would invalidate stored records: ${problems.join("; ")}`);
  return conflicts;
}

/**
 * Imports YAML texts (each may hold several documents): at most one ODPS and
 * one ODCS document for one product. `dryRun` reports the changes only.
 */
export async function importContracts(actor: Actor, texts: string[], options: ImportOptions): Promise<ImportResult> {
  const parsed = texts.map(parseContractYaml);
  const syntax = parsed.flatMap((result) => result.errors);
  if (syntax.length) throw invalid("The YAML cannot be read", syntax);
  const documents = parsed.flatMap((result) => result.documents);
  if (!documents.length) throw invalid("Nothing to import", [{ path: "(document)", message: "send an ODPS (kind: DataProduct) or ODCS (kind: DataContract) document" }]);

  const mapped = mapContracts(documents);
  const domain = options.domain ?? mapped.domain;
  if (options.domain && mapped.domain && options.domain !== mapped.domain) {
    mapped.notes.push({ path: mapped.sources.domain ?? "domain", message: `imported into the domain ${options.domain} instead of ${mapped.domain}` });
  }
  if (!domain) mapped.errors.push({ path: "domain", message: "missing: give the document a domain, or choose one for the import" });
  if (!mapped.name) mapped.errors.push({ path: "name", message: "missing: the product needs a name (ODPS name, ODCS dataProduct or name)" });
  if (mapped.errors.length) throw invalid("The documents cannot be imported", mapped.errors);

  const address = { domain: domain!, name: mapped.name! };
  requireDomainWriter(actor, address.domain);
  const current = await findProduct(address.domain, address.name);
  const next = productOf(mapped, address, current, actor);
  const changes = Object.entries(current ? diffFields(current, next, EDITABLE) : diffFields({} as ProductInput, next, EDITABLE)).map(([field, change]) => ({ field, ...change }));
  const result: ImportResult = {
    dryRun: options.dryRun,
    action: !current ? "create" : changes.length ? "update" : "unchanged",
    ...address,
    changes,
    schemaChanges: current ? diffSchemas(current.schema, next.schema) : [],
    conflicts: current ? conflictsOf(current, next) : [],
    notes: mapped.notes,
  };
  if (options.dryRun || result.action === "unchanged") return result;
  try {
    const product = current
      ? await editProduct(actor, address, Object.fromEntries(changes.map(({ field }) => [field, next[field as keyof ProductInput]])))
      : await registerProduct(actor, next);
    return { ...result, conflicts: [], product };
  } catch (error) {
    throw error instanceof AppError ? atYamlPaths(error, mapped.sources) : error;
  }
}
