/**
 * The request context as the evaluator reads it: keys compare case-insensitively.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
import type { EvalRequest } from "./types.js";
import { matchesWildcard } from "../wildcard.js";

/** Context values by lower-case key, and which keys are unknown. */
export interface RequestContext {
  /** The values of a key, or undefined when the key is absent (or unknown). */
  get(key: string): readonly string[] | undefined;
  /** True when the request carries the key but its value cannot be known. */
  isUnknown(key: string): boolean;
}

const contexts = new WeakMap<EvalRequest, RequestContext>();

/**
 * The request's context, built once per request object. Key names compare case-insensitively;
 * an entry of `unknownKeys` may end in `*` (e.g. `aws:PrincipalTag/*`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export function contextOf(request: EvalRequest): RequestContext {
  let context = contexts.get(request);
  if (!context) {
    context = buildContext(request);
    contexts.set(request, context);
  }
  return context;
}

function buildContext(request: EvalRequest): RequestContext {
  const values = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    values.set(key.toLowerCase(), typeof value === "string" ? [value] : value);
  }
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const key of request.unknownKeys ?? []) {
    if (key.includes("*") || key.includes("?")) patterns.push(key);
    else exact.add(key.toLowerCase());
  }
  const isUnknown = (key: string): boolean =>
    !values.has(key) && (exact.has(key) || patterns.some((p) => matchesWildcard(p, key, true)));
  return {
    get: (key) => values.get(key),
    isUnknown,
  };
}
