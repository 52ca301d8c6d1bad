/**
 * AWS policy documents, named after the IAM JSON elements.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

/** One value or a list of them, as IAM JSON allows for most elements. */
export type OneOrMany<T> = T | T[];

/** `"*"` or a map such as `{"AWS": [...]}`, `{"Service": ...}`. */
export type PrincipalBlock = "*" | Record<string, OneOrMany<string>>;

/** Condition block: operator → key → value(s). */
export type ConditionBlock = Record<string, Record<string, OneOrMany<string | number | boolean>>>;

/** One policy statement. */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: ConditionBlock;
}

/** A bucket policy, key policy or identity policy document. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** The policy language version that supports policy variables and `${*}`-style escapes. */
export const POLICY_VERSION = "2012-10-17";

/** Returns the element as a list. */
export function toList<T>(value: OneOrMany<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
