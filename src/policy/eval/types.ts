/**
 * The evaluator's vocabulary: a request made by a known principal against a resource policy,
 * and a three-valued decision.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/**
 * `depends` means a condition reads a key whose value Nimble's request would carry but that
 * cannot be known from here (its source IP, for instance); `dependsOn` names those keys.
 */
export type Decision = "allowed" | "implicitly-denied" | "explicitly-denied" | "depends";

/** Where a statement that took part in a decision stands in its policy. */
export interface StatementRef {
  index: number;
  sid?: string;
  /** JSON path, e.g. `Statement[2]` or `Statement[2].Condition` */
  path: string;
  effect: "Allow" | "Deny";
}

/** A request to evaluate. Context keys compare case-insensitively. */
export interface EvalRequest {
  /** The caller, e.g. arn:aws:iam::744254827463:user/crawlit-scrapy */
  principal: string;
  /** e.g. s3:GetObject */
  action: string;
  /** e.g. arn:aws:s3:::bucket/output/x */
  resource: string;
  /** Known condition-key values; a key in neither this nor `unknownKeys` is absent. */
  context?: Readonly<Record<string, string | readonly string[]>>;
  /** Keys whose value the request carries but that cannot be known. */
  unknownKeys?: readonly string[];
}

/** The decision and the statements that made it. */
export interface Evaluation {
  decision: Decision;
  /** Context keys the decision depends on (only for `depends`) */
  dependsOn: string[];
  /** Deny statements that matched, else the Allow statements that matched */
  statements: StatementRef[];
  /** For `depends` only: the decisions it could turn out to be once the keys are known */
  possibleDecisions?: Decision[];
}
