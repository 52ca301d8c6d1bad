/**
 * A policy compiled once for repeated evaluation (cached per document object).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
import { POLICY_VERSION, toList, type PolicyDocument, type Statement } from "../types.js";
import { compileConditions, type CompiledCondition } from "./conditions.js";
import type { RequestContext } from "./context.js";
import {
  hasVariables,
  resolve,
  toArnMatcher,
  toMatcher,
  tokenize,
  type Matcher,
} from "./pattern.js";
import { compilePrincipals, type PrincipalSet } from "./principal.js";
import type { Tri } from "./tri.js";

/** Resource match: decided at compile time unless the pattern holds a policy variable. */
type ResourceTest = (resource: string, context: RequestContext) => Tri;

/** One statement, ready to evaluate. */
export interface CompiledStatement {
  index: number;
  sid?: string;
  path: string;
  effect: "Allow" | "Deny" | undefined;
  principal?: PrincipalSet;
  notPrincipal?: PrincipalSet;
  /** matches the lower-cased action */
  action: Matcher;
  notAction: boolean;
  resource: ResourceTest;
  notResource: boolean;
  conditions: CompiledCondition[];
}

const compiled = new WeakMap<PolicyDocument, CompiledStatement[]>();

/** The compiled statements of a policy (a single Statement object counts as a list of one). */
export function compilePolicy(policy: PolicyDocument): CompiledStatement[] {
  let statements = compiled.get(policy);
  if (!statements) {
    const list = policy.Statement as Statement[] | Statement | undefined;
    const many = Array.isArray(list);
    const variables = policy.Version === POLICY_VERSION;
    statements = toList(list).map((s, i) =>
      compileStatement(s, i, many ? `Statement[${i}]` : "Statement", variables),
    );
    compiled.set(policy, statements);
  }
  return statements;
}

function compileStatement(
  s: Statement,
  index: number,
  path: string,
  variables: boolean,
): CompiledStatement {
  const effect = s.Effect === "Allow" || s.Effect === "Deny" ? s.Effect : undefined;
  return {
    index,
    ...(s.Sid !== undefined ? { sid: s.Sid } : {}),
    path,
    effect,
    ...(s.Principal !== undefined ? { principal: compilePrincipals(s.Principal) } : {}),
    ...(s.NotPrincipal !== undefined ? { notPrincipal: compilePrincipals(s.NotPrincipal) } : {}),
    action: compileActions(toList(s.Action ?? s.NotAction)),
    notAction: s.Action === undefined && s.NotAction !== undefined,
    resource: compileResources(toList(s.Resource ?? s.NotResource), variables),
    notResource: s.Resource === undefined && s.NotResource !== undefined,
    conditions: s.Condition ? compileConditions(s.Condition, variables) : [],
  };
}

/**
 * Actions compare case-insensitively; `*` and `?` are wildcards. Policy variables are not
 * supported in Action.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
function compileActions(patterns: string[]): Matcher {
  const exact = new Set<string>();
  const wild: Matcher[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.includes("*") || lower.includes("?")) {
      wild.push(toMatcher(tokenize(lower, { wildcards: true, variables: false }), false));
    } else exact.add(lower);
  }
  return (action) => exact.has(action) || wild.some((m) => m(action));
}

/**
 * Resources compare case-sensitively, segment by segment; `*` alone matches every resource.
 * A variable is filled from the request context (Version 2012-10-17 only).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
function compileResources(patterns: string[], variables: boolean): ResourceTest {
  const tests = patterns.map((pattern) => compileResource(pattern, variables));
  return (resource, context) => {
    let pending: Tri = false;
    for (const test of tests) {
      const result = test(resource, context);
      if (result === true) return true;
      if (result !== false) pending = result;
    }
    return pending;
  };
}

function compileResource(pattern: string, variables: boolean): ResourceTest {
  const tokens = tokenize(pattern, { wildcards: true, variables });
  if (!hasVariables(tokens)) {
    const matcher = toArnMatcher(tokens);
    return (resource) => matcher(resource);
  }
  return (resource, context) => {
    const resolved = resolve(tokens, context);
    return Array.isArray(resolved) ? toArnMatcher(resolved)(resource) : resolved;
  };
}
