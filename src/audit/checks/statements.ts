import type { Decision, EvalRequest } from "../../policy/eval/types.js";
import type { PolicyDocument, Statement } from "../../policy/types.js";
import { POLICY_VERSION } from "../../policy/types.js";
import type { FindingLocation } from "../types.js";
import type { CheckContext, SourcedPolicy } from "./types.js";

/**
 * Helpers the checks share: locating statements and asking the evaluator about one statement.
 */

/**
 * The location of a statement (or one of its elements).
 * @param policy - the policy the statement belongs to
 * @param index - the statement's index
 * @param element - an element such as `Condition` or `Resource`, appended to the path
 * @returns the location, with the Sid when there is one
 */
export function statementLocation(
  policy: SourcedPolicy,
  index: number,
  element?: string,
): FindingLocation {
  const statement = policy.document.Statement[index];
  const path = element ? `Statement[${index}].${element}` : `Statement[${index}]`;
  return { source: policy.source, path, statementIndex: index, sid: statement?.Sid };
}

/** `Statement[2] (Sid X)` for messages. */
export function statementName(policy: SourcedPolicy, index: number): string {
  const sid = policy.document.Statement[index]?.Sid;
  return sid ? `Statement[${index}] (Sid ${sid})` : `Statement[${index}]`;
}

/** The statements of a policy with their indexes, filtered by Effect. */
export function statementsWithEffect(
  policy: SourcedPolicy | undefined,
  effect: Statement["Effect"],
): { statement: Statement; index: number }[] {
  if (!policy) return [];

  return policy.document.Statement.map((statement, index) => ({ statement, index })).filter(
    (entry) => entry.statement.Effect === effect,
  );
}

const singles = new WeakMap<Statement, { kept: PolicyDocument; dropped: PolicyDocument }>();

/**
 * A policy holding just this statement, optionally without its Condition. Built once per
 * statement, so the evaluator can reuse what it compiled for it.
 */
export function singleStatementPolicy(statement: Statement, dropCondition = false): PolicyDocument {
  let pair = singles.get(statement);
  if (!pair) {
    const rest: Statement = { ...statement };
    delete rest.Condition;
    pair = {
      kept: { Version: POLICY_VERSION, Statement: [statement] },
      dropped: { Version: POLICY_VERSION, Statement: [rest] },
    };
    singles.set(statement, pair);
  }
  return dropCondition ? pair.dropped : pair.kept;
}

/**
 * What one statement alone decides for a request.
 * @param context - the check context (for the evaluator)
 * @param statement - the statement
 * @param request - the request
 * @param dropCondition - ignore the statement's Condition (asks "is it aimed at this request?")
 * @returns the decision
 */
export function statementDecision(
  context: CheckContext,
  statement: Statement,
  request: EvalRequest,
  dropCondition = false,
): Decision {
  return context.evaluate(singleStatementPolicy(statement, dropCondition), request).decision;
}

/** Condition keys of a statement, lowercased (condition keys compare case-insensitively). */
export function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((keys) =>
    Object.keys(keys).map((key) => key.toLowerCase()),
  );
}

/**
 * A request like Nimble's own (same principal and known context), for another action and resource.
 * @param context - the check context
 * @param action - e.g. s3:DeleteObject
 * @param resource - the ARN
 * @returns the request
 */
export function nimbleLikeRequest(
  context: CheckContext,
  action: string,
  resource: string,
): EvalRequest {
  let made = likeRequests.get(context);
  if (!made) {
    made = new Map();
    likeRequests.set(context, made);
  }
  const key = `${action} ${resource}`;
  let request = made.get(key);
  if (!request) {
    const base =
      context.operations.find((op) => op.request.action.toLowerCase() === "s3:putobject") ??
      context.operations[0];
    request = { ...(base?.request ?? { principal: context.principal }), action, resource };
    made.set(key, request);
  }
  return request;
}

/** Requests made per context, so the evaluator builds each request's context once. */
const likeRequests = new WeakMap<CheckContext, Map<string, EvalRequest>>();

/** The object ARN of a key in the audited bucket. */
export function objectArn(context: CheckContext, key: string): string {
  return `${context.bucketArn}/${key}`;
}

/** True for `allowed`. */
export function isAllowed(decision: Decision): boolean {
  return decision === "allowed";
}

/** True for both kinds of denial. */
export function isDenied(decision: Decision): boolean {
  return decision === "implicitly-denied" || decision === "explicitly-denied";
}
