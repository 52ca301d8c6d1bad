/**
 * Condition operators, compiled once per policy and evaluated three-valued.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */
import type { ConditionBlock } from "../types.js";
import type { RequestContext } from "./context.js";
import { inCidr, parseCidr } from "./ip.js";
import { resolve, toArnMatcher, toMatcher, tokenize, type Token } from "./pattern.js";
import { and, not, or, undecided, type Tri } from "./tri.js";

/** Whether a policy value matches one context value. */
type ValueTest = (value: string, context: RequestContext) => Tri;

interface Family {
  /** Builds the test for one policy value. */
  prepare(policyValue: string, variables: boolean): ValueTest;
  negated: boolean;
}

/** One operator on one key, ready to evaluate. */
export interface CompiledCondition {
  operator: string;
  key: string;
  /** lower-case key */
  lookup: string;
  set: "ForAnyValue" | "ForAllValues" | undefined;
  ifExists: boolean;
  /** undefined for Null and for unsupported operators */
  tests: ValueTest[];
  negated: boolean;
  kind: "compare" | "null" | "unsupported";
  nullValues: string[];
}

/**
 * Compiles a Condition block. Operator names are matched exactly as AWS spells them; a name
 * outside AWS's list compiles to an "unsupported" condition that evaluates undecided.
 */
export function compileConditions(block: ConditionBlock, variables: boolean): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, raw] of Object.entries(keys)) {
      out.push(compileOne(operator, key, toStrings(raw), variables));
    }
  }
  return out;
}

function toStrings(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function compileOne(op: string, key: string, values: string[], vars: boolean): CompiledCondition {
  const { base, set, ifExists } = parseOperator(op);
  const common = { operator: op, key, lookup: key.toLowerCase(), set, ifExists, nullValues: [] };
  if (base === "Null") {
    return { ...common, tests: [], negated: false, kind: "null", nullValues: values };
  }
  const family = FAMILIES[base];
  if (!family) return { ...common, tests: [], negated: false, kind: "unsupported" };
  const tests = values.map((v) => prepared(base, family, v, vars));
  return { ...common, tests, negated: family.negated, kind: "compare" };
}

/** Value tests by operator and value: policies repeat the same values (bounded cache). */
const testCache = new Map<string, ValueTest>();

function prepared(base: string, family: Family, value: string, vars: boolean): ValueTest {
  const key = `${base}\u0000${vars ? 1 : 0}${value}`;
  let test = testCache.get(key);
  if (!test) {
    if (testCache.size > 50_000) testCache.clear();
    test = family.prepare(value, vars);
    testCache.set(key, test);
  }
  return test;
}

function parseOperator(op: string): Pick<CompiledCondition, "set" | "ifExists"> & { base: string } {
  let base = op;
  let set: CompiledCondition["set"];
  for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
    if (base.startsWith(`${prefix}:`)) {
      set = prefix;
      base = base.slice(prefix.length + 1);
    }
  }
  const ifExists = base.endsWith("IfExists") && base !== "IfExists";
  if (ifExists) base = base.slice(0, -"IfExists".length);
  return { base, set, ifExists };
}

/**
 * Evaluates one compiled condition against the request.
 * Missing key: `...IfExists` and `ForAllValues:` are true, `ForAnyValue:` false, negated operators
 * true, other operators false. Several policy values for one key are ORed (for a negated operator:
 * the context value must match none of them).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */
export function evaluateCondition(condition: CompiledCondition, context: RequestContext): Tri {
  if (condition.kind === "unsupported") return undecided([`operator:${condition.operator}`]);
  if (condition.kind === "null") return evaluateNull(condition, context);
  if (context.isUnknown(condition.lookup)) return undecided([condition.key]);

  const values = context.get(condition.lookup);
  if (!values || values.length === 0) return whenAbsent(condition);

  const matchOne = (value: string): Tri => or(condition.tests.map((t) => t(value, context)));
  const satisfies = (value: string): Tri =>
    condition.negated ? not(matchOne(value)) : matchOne(value);
  if (condition.set === "ForAllValues") return and(values.map(satisfies));
  if (condition.set === "ForAnyValue") return or(values.map(satisfies));
  return condition.negated ? not(or(values.map(matchOne))) : or(values.map(matchOne));
}

/**
 * A missing key: `ForAnyValue:` has no value to match and is false even with `IfExists`
 * (AWS answered so for `ForAnyValue:StringEqualsIfExists` on aws:TagKeys); `ForAllValues:` and
 * `...IfExists` are true; a negated operator is true; any other operator false.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * @see https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w/foranyvalue-stringequalsifexists-behaving-unexpectedly
 */
function whenAbsent(condition: CompiledCondition): boolean {
  if (condition.set === "ForAnyValue") return false;
  if (condition.ifExists || condition.set === "ForAllValues") return true;
  return condition.negated;
}

/**
 * `Null: true` holds when the key is absent, `Null: false` when it is present. An unknown key is
 * undecided: for headers such as s3:x-amz-server-side-encryption even presence is not known.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
 */
function evaluateNull(condition: CompiledCondition, context: RequestContext): Tri {
  if (context.isUnknown(condition.lookup)) return undecided([condition.key]);

  const values = context.get(condition.lookup);
  const present = values !== undefined && values.length > 0;
  return condition.nullValues.some((v) => v.toLowerCase() === (present ? "false" : "true"));
}

function stringFamily(ignoreCase: boolean, wildcards: boolean, negated: boolean): Family {
  return {
    negated,
    prepare(policyValue, variables) {
      const tokens = tokenize(policyValue, { wildcards, variables });
      return withVariables(tokens, (t) => toMatcher(t, ignoreCase));
    },
  };
}

function arnFamily(negated: boolean): Family {
  return {
    negated,
    prepare(policyValue, variables) {
      const tokens = tokenize(policyValue, { wildcards: true, variables });
      return withVariables(tokens, (t) => toArnMatcher(t));
    },
  };
}

function withVariables(
  tokens: Token[],
  build: (tokens: Token[]) => (value: string) => boolean,
): ValueTest {
  if (!tokens.some((t) => t.kind === "var")) {
    const matcher = build(tokens);
    return (value) => matcher(value);
  }
  return (value, context) => {
    const resolved = resolve(tokens, context);
    return Array.isArray(resolved) ? build(resolved)(value) : resolved;
  };
}

function compareFamily(
  parse: (text: string) => number | undefined,
  compare: (context: number, policy: number) => boolean,
  negated = false,
): Family {
  return {
    negated,
    prepare(policyValue) {
      const want = parse(policyValue);
      return (value) => {
        const have = parse(value);
        return want !== undefined && have !== undefined && compare(have, want);
      };
    },
  };
}

/** Numbers as IAM writes them: decimal integers and floats. */
function parseNumber(text: string): number | undefined {
  return /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * Dates: ISO 8601 strings or epoch seconds.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

const eq = (a: number, b: number): boolean => a === b;
const lt = (a: number, b: number): boolean => a < b;
const le = (a: number, b: number): boolean => a <= b;
const gt = (a: number, b: number): boolean => a > b;
const ge = (a: number, b: number): boolean => a >= b;

const bool: Family = {
  negated: false,
  prepare(policyValue) {
    const want = policyValue.toLowerCase();
    return (value) => value.toLowerCase() === want;
  },
};

const binary: Family = {
  negated: false,
  prepare: (policyValue) => (value) => value === policyValue,
};

function ipFamily(negated: boolean): Family {
  return {
    negated,
    prepare(policyValue) {
      const cidr = parseCidr(policyValue);
      return (value) => cidr !== undefined && inCidr(cidr, value);
    },
  };
}

/** Every operator AWS documents, by name (without set prefix or IfExists suffix). */
const FAMILIES: Record<string, Family | undefined> = {
  StringEquals: stringFamily(false, false, false),
  StringNotEquals: stringFamily(false, false, true),
  StringEqualsIgnoreCase: stringFamily(true, false, false),
  StringNotEqualsIgnoreCase: stringFamily(true, false, true),
  StringLike: stringFamily(false, true, false),
  StringNotLike: stringFamily(false, true, true),
  NumericEquals: compareFamily(parseNumber, eq),
  NumericNotEquals: compareFamily(parseNumber, eq, true),
  NumericLessThan: compareFamily(parseNumber, lt),
  NumericLessThanEquals: compareFamily(parseNumber, le),
  NumericGreaterThan: compareFamily(parseNumber, gt),
  NumericGreaterThanEquals: compareFamily(parseNumber, ge),
  DateEquals: compareFamily(parseDate, eq),
  DateNotEquals: compareFamily(parseDate, eq, true),
  DateLessThan: compareFamily(parseDate, lt),
  DateLessThanEquals: compareFamily(parseDate, le),
  DateGreaterThan: compareFamily(parseDate, gt),
  DateGreaterThanEquals: compareFamily(parseDate, ge),
  Bool: bool,
  BinaryEquals: binary,
  IpAddress: ipFamily(false),
  NotIpAddress: ipFamily(true),
  ArnEquals: arnFamily(false),
  ArnLike: arnFamily(false),
  ArnNotEquals: arnFamily(true),
  ArnNotLike: arnFamily(true),
};
