/**
 * A policy compiled once for repeated evaluation (cached per document object).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
import {
  POLICY_VERSION,
  toList,
  type PolicyDocument,
  type PrincipalBlock,
  type Statement,
} from "../types.js";
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

/** One statement, ready to evaluate. Resource and Condition compile on first use. */
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
  resource: () => ResourceTest;
  notResource: boolean;
  conditions: () => CompiledCondition[];
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

const principalCache = new Map<string, PrincipalSet>();

/** Principal blocks repeat across policies (bounded cache; the sets are never mutated). */
function principals(block: PrincipalBlock): PrincipalSet {
  const key = typeof block === "string" ? block : JSON.stringify(block);
  let set = principalCache.get(key);
  if (!set) {
    if (principalCache.size > 50_000) principalCache.clear();
    set = compilePrincipals(block);
    principalCache.set(key, set);
  }
  return set;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function compileStatement(
  s: Statement,
  index: number,
  path: string,
  variables: boolean,
): CompiledStatement {
  const effect = s.Effect === "Allow" || s.Effect === "Deny" ? s.Effect : undefined;
  const statement: CompiledStatement = {
    index,
    path,
    effect,
    action: compileActions(toList(s.Action ?? s.NotAction)),
    notAction: s.Action === undefined && s.NotAction !== undefined,
    resource: lazy(() => compileResources(toList(s.Resource ?? s.NotResource), variables)),
    notResource: s.Resource === undefined && s.NotResource !== undefined,
    conditions: lazy(() => (s.Condition ? compileConditions(s.Condition, variables) : [])),
  };
  if (s.Sid !== undefined) statement.sid = s.Sid;
  if (s.Principal !== undefined) statement.principal = principals(s.Principal);
  else if (s.NotPrincipal !== undefined) statement.notPrincipal = principals(s.NotPrincipal);
  return statement;
}

/**
 * Actions compare case-insensitively; `*` and `?` are wildcards. Policy variables are not
 * supported in Action.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
const actionListCache = new Map<string, Matcher>();

function compileActions(patterns: string[]): Matcher {
  const key = patterns.join("\n");
  let matcher = actionListCache.get(key);
  if (!matcher) {
    if (actionListCache.size > 50_000) actionListCache.clear();
    matcher = buildActions(patterns);
    actionListCache.set(key, matcher);
  }
  return matcher;
}

function buildActions(patterns: string[]): Matcher {
  const exact: string[] = [];
  const wild: Matcher[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.includes("*") || lower.includes("?")) wild.push(actionMatcher(lower));
    else exact.push(lower);
  }
  return (action) => exact.includes(action) || wild.some((m) => m(action));
}

const actionCache = new Map<string, Matcher>();

function actionMatcher(lower: string): Matcher {
  let matcher = actionCache.get(lower);
  if (!matcher) {
    if (actionCache.size > 50_000) actionCache.clear();
    matcher = toMatcher(tokenize(lower, { wildcards: true, variables: false }), false);
    actionCache.set(lower, matcher);
  }
  return matcher;
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

/** Resource tests by pattern: bucket policies repeat the same ARNs (bounded cache). */
const resourceCache = new Map<string, ResourceTest>();

function compileResource(pattern: string, variables: boolean): ResourceTest {
  const key = `${variables ? 1 : 0}${pattern}`;
  let test = resourceCache.get(key);
  if (!test) {
    if (resourceCache.size > 50_000) resourceCache.clear();
    test = buildResourceTest(pattern, variables);
    resourceCache.set(key, test);
  }
  return test;
}

function buildResourceTest(pattern: string, variables: boolean): ResourceTest {
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
