import { isRecord } from "../edge.js";
import { NimbleError } from "../errors.js";
import { parseJsonText, type JsonOptions } from "./json.js";
import type { PolicyDocument, Statement } from "./types.js";

/**
 * Reads a bucket or key policy from text into a typed document, once, at the edge.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);
const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);
/** @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html */
const POLICY_VERSIONS: readonly unknown[] = ["2012-10-17", "2008-10-17"];

/**
 * Parses and checks a policy document. `Statement` may be one object or a list (AWS accepts
 * both); the result always has a list, whose statement objects are the parsed originals (key
 * order kept).
 * @param text - JSON text of the policy
 * @param source - file name to put in errors
 * @param options - `exact: true` where the policy is written back out (merge)
 * @returns the policy document
 * @throws NimbleError E_JSON for broken JSON (with line and column), E_INPUT for a wrong shape
 *   (with the JSON path of the first problem and how many more there are)
 */
export function parsePolicyText(
  text: string,
  source: string,
  options: JsonOptions = {},
): PolicyDocument {
  return parsePolicy(parseJsonText(text, source, options), source);
}

/**
 * Checks an already parsed value as a policy document.
 * @param value - parsed JSON
 * @param source - file name to put in errors
 * @returns the policy document
 * @throws NimbleError E_INPUT naming the JSON path of the first problem
 */
export function parsePolicy(value: unknown, source: string): PolicyDocument {
  const problems: string[] = [];
  const document = checkDocument(value, problems);
  if (problems.length > 0 || !document) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    throw new NimbleError("E_INPUT", `${source}: ${problems[0] ?? "not a policy"}${more}`, source);
  }

  return document;
}

function checkDocument(value: unknown, problems: string[]): PolicyDocument | undefined {
  if (!isRecord(value)) {
    problems.push("a policy must be a JSON object with a Statement");
    return undefined;
  }

  for (const key of Object.keys(value)) {
    if (!DOCUMENT_KEYS.has(key)) problems.push(`${key}: unknown policy element`);
  }
  if (value.Version !== undefined && !POLICY_VERSIONS.includes(value.Version)) {
    problems.push('Version must be "2012-10-17" (or the older "2008-10-17")');
  }
  const statements = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  if (value.Statement === undefined) problems.push("Statement is missing");
  statements.forEach((statement, index) =>
    checkStatement(statement, `Statement[${index}]`, problems),
  );

  return { ...(value as unknown as PolicyDocument), Statement: statements as Statement[] };
}

function checkStatement(value: unknown, path: string, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push(`${path} must be an object`);
    return;
  }

  for (const key of Object.keys(value)) {
    if (!STATEMENT_KEYS.has(key)) problems.push(`${path}.${key}: unknown statement element`);
  }
  if (value.Effect !== "Allow" && value.Effect !== "Deny") {
    problems.push(`${path}.Effect must be "Allow" or "Deny"`);
  }
  if (value.Sid !== undefined && typeof value.Sid !== "string")
    problems.push(`${path}.Sid must be a string`);
  checkExclusive(value, path, "Action", "NotAction", true, problems);
  checkExclusive(value, path, "Resource", "NotResource", false, problems);
  checkExclusive(value, path, "Principal", "NotPrincipal", false, problems);
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    if (key in value && !isStringList(value[key])) {
      problems.push(`${path}.${key} must be a string or a list of strings`);
    }
  }
  for (const key of ["Principal", "NotPrincipal"]) {
    if (key in value && !isPrincipal(value[key])) {
      problems.push(`${path}.${key} must be "*" or an object such as {"AWS": "arn:..."}`);
    }
  }
  if (value.Condition !== undefined) checkCondition(value.Condition, `${path}.Condition`, problems);
}

function checkExclusive(
  statement: Record<string, unknown>,
  path: string,
  key: string,
  notKey: string,
  required: boolean,
  problems: string[],
): void {
  if (key in statement && notKey in statement) {
    problems.push(`${path} has both ${key} and ${notKey}`);
  } else if (required && !(key in statement) && !(notKey in statement)) {
    problems.push(`${path} needs ${key} or ${notKey}`);
  }
}

function checkCondition(value: unknown, path: string, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push(`${path} must be an object of operators`);
    return;
  }

  for (const [operator, keys] of Object.entries(value)) {
    if (!isRecord(keys)) {
      problems.push(`${path}.${operator} must be an object of condition keys`);
      continue;
    }
    for (const [key, values] of Object.entries(keys)) {
      if (!isScalarList(values)) {
        problems.push(`${path}.${operator}.${key} must be a value or a list of values`);
      }
    }
  }
}

function isStringList(value: unknown): boolean {
  return (
    typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
  );
}

function isScalarList(value: unknown): boolean {
  const isScalar = (v: unknown) => ["string", "number", "boolean"].includes(typeof v);
  return isScalar(value) || (Array.isArray(value) && value.every(isScalar));
}

function isPrincipal(value: unknown): boolean {
  return value === "*" || (isRecord(value) && Object.values(value).every(isStringList));
}
