/**
 * Resource-policy evaluation for a known principal and request, three-valued.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import type { PolicyDocument } from "../types.js";
import { compilePolicy, type CompiledStatement } from "./compile.js";
import { evaluateCondition, type CompiledCondition } from "./conditions.js";
import { contextOf, type RequestContext } from "./context.js";
import {
  notPrincipalApplies,
  principalInfo,
  principalMatches,
  type PrincipalInfo,
} from "./principal.js";
import { and, isUndecided, undecided, unique, type Tri } from "./tri.js";
import type { Decision, EvalRequest, Evaluation, StatementRef } from "./types.js";

interface Outcome {
  statement: CompiledStatement;
  result: Tri;
  /** true when the Condition block (not Principal/Action/Resource) settled or left it open */
  byCondition: boolean;
}

/**
 * Evaluates a resource-based policy (bucket policy, key policy) for one request.
 * An explicit Deny wins; else a matching Allow allows; else the request is implicitly denied.
 * A Deny that might apply (it reads an unknown key) makes the decision `depends`, unless another
 * Deny applies for sure; an Allow that might apply, when no other Allow does, makes it `depends`.
 * Both arguments are treated as immutable: the compiled policy and the request's context are
 * cached per object (WeakMap), so build a new object rather than editing one already evaluated.
 * @param policy - the policy document (`Statement` may be one object or a list)
 * @param request - principal, action, resource, known context and unknown keys
 * @returns the decision and the statements that made it
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
export function evaluatePolicy(policy: PolicyDocument, request: EvalRequest): Evaluation {
  const context = contextOf(request);
  const info = principalInfo(request.principal);
  const action = request.action.toLowerCase();
  const outcomes: Outcome[] = [];
  for (const statement of compilePolicy(policy)) {
    const outcome = evaluateStatement(statement, info, action, request.resource, context);
    if (outcome) outcomes.push(outcome);
  }
  return decide(outcomes);
}

function decide(outcomes: Outcome[]): Evaluation {
  const deny = outcomes.filter((o) => o.statement.effect === "Deny");
  const allow = outcomes.filter((o) => o.statement.effect === "Allow");
  const invalid = outcomes.filter((o) => o.statement.effect === undefined);
  const sure = (list: Outcome[]): Outcome[] => list.filter((o) => o.result === true);
  const open = (list: Outcome[]): Outcome[] => list.filter((o) => o.result !== true);

  if (sure(deny).length) return result("explicitly-denied", sure(deny));
  const openDeny = [...open(deny), ...invalid];
  if (openDeny.length) {
    const undecidedAllow = sure(allow).length ? [] : allow;
    return result("depends", [...openDeny, ...undecidedAllow], possible(allow, true));
  }
  if (sure(allow).length) return result("allowed", sure(allow));
  if (allow.length) return result("depends", allow, possible(allow, false));
  return result("implicitly-denied", []);
}

/** The decisions an undecided evaluation could turn out to be. */
function possible(allow: Outcome[], denyOpen: boolean): Decision[] {
  const decisions: Decision[] = denyOpen ? ["explicitly-denied"] : [];
  if (allow.length) decisions.push("allowed");
  if (!allow.some((o) => o.result === true)) decisions.push("implicitly-denied");
  return decisions;
}

function result(
  decision: Decision,
  outcomes: Outcome[],
  possibleDecisions?: Decision[],
): Evaluation {
  const dependsOn = unique(
    outcomes.flatMap((o) => (isUndecided(o.result) ? o.result.dependsOn : [])),
  );
  return {
    decision,
    dependsOn: decision === "depends" ? dependsOn : [],
    statements: outcomes.map(toRef),
    ...(possibleDecisions ? { possibleDecisions } : {}),
  };
}

function toRef({ statement, byCondition }: Outcome): StatementRef {
  return {
    index: statement.index,
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
    path: byCondition ? `${statement.path}.Condition` : statement.path,
    effect: statement.effect ?? "Deny",
  };
}

/**
 * Whether one statement applies: Principal/NotPrincipal, Action/NotAction, Resource/NotResource
 * and every condition (conditions ANDed).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
function evaluateStatement(
  statement: CompiledStatement,
  info: PrincipalInfo,
  action: string,
  resource: string,
  context: RequestContext,
): Outcome | undefined {
  if (!appliesToPrincipal(statement, info)) return undefined;
  if (statement.action(action) === statement.notAction) return undefined;

  const resourceMatch = statement.resource()(resource, context);
  const resourceResult = statement.notResource ? negate(resourceMatch) : resourceMatch;
  if (resourceResult === false) return undefined;
  if (statement.effect === undefined) {
    return { statement, result: undecided([`${statement.path}.Effect`]), byCondition: false };
  }
  const conditions = statement.conditions();
  const result = conditions.length
    ? and([resourceResult, allConditions(conditions, context)])
    : resourceResult;
  if (result === false) return undefined;
  return { statement, result, byCondition: conditions.length > 0 && resourceResult === true };
}

/** Conditions ANDed: every operator, every key. */
function allConditions(conditions: CompiledCondition[], context: RequestContext): Tri {
  let open: Tri[] | undefined;
  for (const condition of conditions) {
    const value = evaluateCondition(condition, context);
    if (value === false) return false;
    if (value !== true) (open ??= []).push(value);
  }
  return open ? and(open) : true;
}

function negate(value: Tri): Tri {
  return typeof value === "boolean" ? !value : value;
}

function appliesToPrincipal(statement: CompiledStatement, info: PrincipalInfo): boolean {
  if (statement.principal) return principalMatches(statement.principal, info);
  if (statement.notPrincipal) return notPrincipalApplies(statement.notPrincipal, info);
  return false;
}
