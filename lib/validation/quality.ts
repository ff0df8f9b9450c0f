import { z } from "zod";

/**
 * Data-quality rules in the shape of ODCS v3 `quality` library metrics: a
 * metric over one property (field) or the whole product, compared with a
 * threshold (`mustBe`, `mustBeLessThan`, ...), with a severity. `freshness`
 * and the `minimum`/`maximum` arguments of `invalidValues` extend ODCS.
 */

export const QUALITY_METRICS = ["nullValues", "duplicateValues", "invalidValues", "rowCount", "freshness"] as const;
/** The unit of a rule's measured value: a rule's own `unit` (rows or percent), or hours for freshness. */
export const QUALITY_UNITS = ["rows", "percent", "hours"] as const;
export const QUALITY_SEVERITIES = ["warning", "error"] as const;
export const THRESHOLDS = ["mustBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo"] as const;

/** A field of the product's schema (that it is one is checked against the schema by the products use case). */
const property = z.string({ error: "property must be a field name" }).trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "property must be a field name");

const bound = z.union([z.number(), z.string().trim().min(1).max(40)], { error: "Must be a number, or a date/time as text" });

export const qualityRuleSchema = z
  .object({
    id: z
      .string({ error: "The rule needs an id" })
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Use lowercase letters, digits, - and _ (at most 63)")
      .describe("Unique within the product; results and notifications name it"),
    description: z.string().trim().max(500).optional(),
    metric: z.enum(QUALITY_METRICS, { error: `metric must be one of ${QUALITY_METRICS.join(", ")}` }).describe(
      "nullValues: records without a value; duplicateValues: records sharing a value; invalidValues: values outside validValues, pattern, minimum or maximum; rowCount: records in the product; freshness: hours since the newest value",
    ),
    property: property.optional().describe("The field the metric is measured on; every metric but rowCount needs one"),
    arguments: z
      .object({
        validValues: z.array(z.union([z.string(), z.number()])).min(1).max(500).optional().describe("Allowed values"),
        pattern: z
          .string()
          .min(1)
          .max(200)
          .refine((pattern) => {
            try {
              new RegExp(pattern);
              return true;
            } catch {
              return false;
            }
          }, "Not a valid regular expression")
          .optional()
          .describe("A regular expression (POSIX, as Postgres reads it) every value must match"),
        minimum: bound.optional().describe("Least allowed value (number, date or timestamp fields)"),
        maximum: bound.optional().describe("Greatest allowed value"),
      })
      .strict()
      .optional(),
    mustBe: z.number().optional(),
    mustBeLessThan: z.number().optional(),
    mustBeLessOrEqualTo: z.number().optional(),
    mustBeGreaterThan: z.number().optional(),
    mustBeGreaterOrEqualTo: z.number().optional(),
    unit: z.enum(["rows", "percent"]).default("rows").describe("Whether the metric counts records or their percentage"),
    severity: z.enum(QUALITY_SEVERITIES, { error: "severity must be warning or error" }).default("warning"),
    rejectLoad: z.boolean().default(false).describe("For an error rule: a load after which the rule fails is rejected, naming the failing rows"),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const thresholds = THRESHOLDS.filter((key) => rule[key] !== undefined);
    if (rule.metric === "rowCount" || rule.metric === "freshness") {
      if (thresholds.length === 0) ctx.addIssue({ code: "custom", path: ["mustBe"], message: `A ${rule.metric} rule needs a threshold such as mustBeGreaterOrEqualTo` });
    }
    if (rule.metric !== "rowCount" && !rule.property) ctx.addIssue({ code: "custom", path: ["property"], message: `A ${rule.metric} rule names the property (field) it checks` });
    if (rule.metric === "invalidValues" && !rule.arguments) {
      ctx.addIssue({ code: "custom", path: ["arguments"], message: "An invalidValues rule needs validValues, pattern, minimum or maximum" });
    }
    if (rule.rejectLoad && rule.severity !== "error") ctx.addIssue({ code: "custom", path: ["rejectLoad"], message: "Only an error rule can reject a load" });
  })
  .describe("A data-quality rule (ODCS v3 library metric)");

export const qualityRulesSchema = z
  .array(qualityRuleSchema)
  .max(50, "At most 50 rules")
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: [index, "id"], message: `Duplicate rule id ${rule.id}` });
      seen.add(rule.id);
    });
  });

export type QualityRule = z.infer<typeof qualityRuleSchema>;
export type QualityRuleInput = z.input<typeof qualityRuleSchema>;
