import { CelScalar, celMethod, isCelError, parse, plan, celEnv } from "@bufbuild/cel";

/**
 * IAM Conditions on Cloud Storage, evaluated with a real CEL implementation. Only the resource
 * attributes are known offline (`resource.name`, `resource.type`, `resource.service`); anything
 * else a condition reads (`request.time`, `api.getAttribute(...)`, tags) makes it `unknown`.
 * CEL's own rules decide when an unknown does not matter: `false && x` is false and `true || x`
 * is true whatever `x` is, so only a result that really hinges on the unknown is `unknown`.
 * @see https://cloud.google.com/iam/docs/conditions-overview
 * @see https://cloud.google.com/iam/docs/conditions-resource-attributes
 * @see https://cloud.google.com/storage/docs/access-control/iam#conditions
 */

/** Three-valued outcome of one condition. */
export type ConditionValue = "true" | "false" | "unknown";

/** The resource a permission is checked on. */
export interface GcsResource {
  /** projects/_/buckets/B or projects/_/buckets/B/objects/NAME */
  name: string;
  type: "storage.googleapis.com/Bucket" | "storage.googleapis.com/Object";
}

/** A condition's value and, when unknown, the attributes it depends on. */
export interface ConditionResult {
  value: ConditionValue;
  /** Attributes whose value could not be known (only for `unknown`) */
  dependsOn: string[];
  /** Why the expression could not be evaluated, when it is not merely an unknown attribute */
  error?: string;
}

/**
 * The IAM resource of a bucket, as bucket-level permissions (storage.objects.list,
 * storage.buckets.get) are checked on it.
 * @param bucket - the bucket name
 * @returns projects/_/buckets/BUCKET, of type Bucket
 * @see https://cloud.google.com/iam/docs/conditions-resource-attributes
 */
export function bucketResource(bucket: string): GcsResource {
  return { name: `projects/_/buckets/${bucket}`, type: "storage.googleapis.com/Bucket" };
}

/**
 * The IAM resource of an object, as object-level permissions are checked on it.
 * @param bucket - the bucket name
 * @param name - the object name
 * @returns projects/_/buckets/BUCKET/objects/NAME, of type Object
 * @see https://cloud.google.com/iam/docs/conditions-resource-attributes
 */
export function objectResource(bucket: string, name: string): GcsResource {
  return {
    name: `projects/_/buckets/${bucket}/objects/${name}`,
    type: "storage.googleapis.com/Object",
  };
}

/**
 * `extract(template)` as IAM defines it: the text between the template's literal prefix and the
 * next occurrence of its suffix, or "" when the prefix does not occur.
 * @param value - the string extract() is called on
 * @param template - e.g. "/objects/{name}/"
 * @returns the extracted text, or ""
 * @see https://cloud.google.com/iam/docs/conditions-attribute-reference#extract
 */
export function extractTemplate(value: string, template: string): string {
  const match = /^(.*)\{[^}]*\}(.*)$/s.exec(template);
  if (!match) return "";
  const [, before = "", after = ""] = match;
  const start = value.indexOf(before);
  if (start < 0) return "";

  const rest = value.slice(start + before.length);
  if (after === "") return rest;
  const end = rest.indexOf(after);
  return end < 0 ? "" : rest.slice(0, end);
}

const EXTRACT = celMethod(
  "extract",
  CelScalar.STRING,
  [CelScalar.STRING],
  CelScalar.STRING,
  function (template) {
    return extractTemplate(this, template);
  },
);

const ENV = celEnv({ funcs: [EXTRACT] });

const UNKNOWN_ATTRIBUTES: readonly RegExp[] = [
  /\brequest\.[A-Za-z_][\w.]*/g,
  /\bapi\.getAttribute\([^)]*\)/g,
  /\bresource\.matchTag\w*\([^)]*\)/g,
  /\bresource\.hasTag\w*\([^)]*\)/g,
  /\bdestination\.[A-Za-z_][\w.]*/g,
  /\borigin\.[A-Za-z_][\w.]*/g,
];

/**
 * Evaluates an IAM condition expression for a resource.
 * @param expression - the binding's `condition.expression`
 * @param resource - the resource the permission is checked on
 * @returns true/false when the known attributes decide it, else unknown with the attributes
 * @see https://cloud.google.com/iam/docs/conditions-overview
 */
export function evaluateCondition(expression: string, resource: GcsResource): ConditionResult {
  const unknownNames = unknownAttributes(expression);
  let value: unknown;
  try {
    const program = plan(ENV, parse(expression));
    value = program({ resource: resourceBinding(resource) });
  } catch (error) {
    return { value: "unknown", dependsOn: [], error: errorText(error) };
  }

  if (typeof value === "boolean") return { value: value ? "true" : "false", dependsOn: [] };
  if (isCelError(value) && unknownNames.length > 0) {
    return { value: "unknown", dependsOn: unknownNames };
  }
  return { value: "unknown", dependsOn: [], error: describeNonBoolean(value) };
}

function resourceBinding(resource: GcsResource): Map<string, string> {
  return new Map([
    ["name", resource.name],
    ["type", resource.type],
    ["service", "storage.googleapis.com"],
  ]);
}

/**
 * Attributes the expression reads whose values are unknown offline.
 * @param expression - a condition expression
 * @returns each unknown attribute once, e.g. request.time
 * @see https://cloud.google.com/iam/docs/conditions-attribute-reference
 */
export function unknownAttributes(expression: string): string[] {
  const found = UNKNOWN_ATTRIBUTES.flatMap((pattern) => expression.match(pattern) ?? []);
  return [...new Set(found)];
}

function describeNonBoolean(value: unknown): string {
  if (isCelError(value)) return `the condition could not be evaluated: ${value.message}`;
  return "the condition does not evaluate to a boolean";
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `the condition could not be parsed: ${message.split("\n")[0] ?? ""}`;
}
