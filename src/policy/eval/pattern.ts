/**
 * Policy strings with IAM wildcards and policy variables, compiled once per policy.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { RequestContext } from "./context.js";
import { undecided, type Tri } from "./tri.js";

/** A piece of a policy string: text, a wildcard, or a variable to fill in from the request. */
export type Token =
  | { kind: "text"; text: string }
  | { kind: "star" }
  | { kind: "one" }
  | { kind: "var"; key: string; fallback?: string };

/** How a policy string is read. */
export interface PatternOptions {
  /** `*` and `?` are wildcards (Resource, StringLike, ArnLike) */
  wildcards: boolean;
  /** `${...}` is a policy variable (only with Version 2012-10-17) */
  variables: boolean;
}

/**
 * Splits a policy string into tokens. `${*}`, `${?}` and `${$}` stand for the literal characters;
 * `${key, 'default'}` gives a default used when the key is absent.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 */
export function tokenize(source: string, options: PatternOptions): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = (): void => {
    if (text) tokens.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? "";
    if (options.variables && c === "$" && source[i + 1] === "{") {
      const end = source.indexOf("}", i + 2);
      if (end > 0) {
        const variable = parseVariable(source.slice(i + 2, end));
        if (typeof variable === "string") text += variable;
        else {
          flush();
          tokens.push(variable);
        }
        i = end;
        continue;
      }
    }
    if (options.wildcards && (c === "*" || c === "?")) {
      flush();
      tokens.push({ kind: c === "*" ? "star" : "one" });
      continue;
    }
    text += c;
  }
  flush();
  return tokens;
}

function parseVariable(inner: string): string | Token {
  const body = inner.trim();
  if (body === "*" || body === "?" || body === "$") return body;

  const comma = body.indexOf(",");
  if (comma < 0) return { kind: "var", key: body.toLowerCase() };
  const fallback = /^'(.*)'$/.exec(body.slice(comma + 1).trim());
  return {
    kind: "var",
    key: body.slice(0, comma).trim().toLowerCase(),
    ...(fallback ? { fallback: fallback[1] ?? "" } : {}),
  };
}

/** True when the tokens hold a variable. */
export function hasVariables(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.kind === "var");
}

/**
 * Fills in the variables. A variable whose key is unknown makes the result undecided; one whose
 * key is absent (or multi-valued) without a default makes it `false` (the string matches nothing).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
 */
export function resolve(tokens: readonly Token[], context: RequestContext): Token[] | Tri {
  if (!hasVariables(tokens)) return tokens as Token[];

  const out: Token[] = [];
  for (const token of tokens) {
    if (token.kind !== "var") {
      out.push(token);
      continue;
    }
    if (context.isUnknown(token.key)) return undecided([token.key]);
    const values = context.get(token.key);
    const value = values?.length === 1 ? values[0] : token.fallback;
    if (value === undefined) return false;
    out.push({ kind: "text", text: value });
  }
  return out;
}

/** A compiled matcher for a token list without variables. */
export type Matcher = (value: string) => boolean;

const ALWAYS: Matcher = () => true;
const regexCache = new Map<string, RegExp>();

/**
 * Compiles tokens (no variables) into a matcher. `ignoreCase` lower-cases both sides.
 */
export function toMatcher(tokens: readonly Token[], ignoreCase: boolean): Matcher {
  if (tokens.length === 1 && tokens[0]?.kind === "star") return ALWAYS;
  const [first, second] = tokens;
  if (!ignoreCase && tokens.length === 2 && first?.kind === "text" && second?.kind === "star") {
    const prefix = first.text;
    return (v) => v.startsWith(prefix);
  }
  if (tokens.every((t) => t.kind === "text")) {
    const text = tokens.map((t) => (t.kind === "text" ? t.text : "")).join("");
    const want = ignoreCase ? text.toLowerCase() : text;
    return ignoreCase ? (v) => v.toLowerCase() === want : (v) => v === want;
  }
  const regex = toRegex(tokens, ignoreCase);
  return (v) => regex.test(v);
}

function toRegex(tokens: readonly Token[], ignoreCase: boolean): RegExp {
  const body = tokens
    .map((t) =>
      t.kind === "star" ? "[\\s\\S]*" : t.kind === "one" ? "[\\s\\S]" : escape(textOf(t)),
    )
    .join("");
  const key = `${ignoreCase ? "i" : "s"}^${body}$`;
  let regex = regexCache.get(key);
  if (!regex) {
    if (regexCache.size > 10_000) regexCache.clear();
    regex = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
    regexCache.set(key, regex);
  }
  return regex;
}

function textOf(token: Token): string {
  return token.kind === "text" ? token.text : "";
}

function escape(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/**
 * Splits tokens into the six colon-separated ARN segments (the last keeps its colons).
 * Returns undefined when there are fewer than six.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function arnSegments(tokens: readonly Token[]): Token[][] | undefined {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind !== "text" || segments.length === 6) {
      segments[segments.length - 1]?.push(token);
      continue;
    }
    const parts = token.text.split(":");
    parts.forEach((part, i) => {
      if (i > 0) {
        if (segments.length === 6) {
          segments[5]?.push({ kind: "text", text: ":" });
        } else segments.push([]);
      }
      if (part) segments[segments.length - 1]?.push({ kind: "text", text: part });
    });
  }
  return segments.length === 6 ? segments : undefined;
}

/**
 * A pattern with fewer than six segments: AWS does not document it. With a wildcard, the missing
 * trailing segments count as `*` (so `arn:aws:s3*` still covers every S3 ARN, as a plain glob
 * over the whole string would, and as iam-simulate does); without one it matches nothing.
 */
function padShortArn(tokens: readonly Token[]): Token[][] | undefined {
  if (!tokens.some((t) => t.kind === "star" || t.kind === "one")) return undefined;

  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind !== "text") {
      segments[segments.length - 1]?.push(token);
      continue;
    }
    token.text.split(":").forEach((part, i) => {
      if (i > 0) segments.push([]);
      if (part) segments[segments.length - 1]?.push({ kind: "text", text: part });
    });
  }
  while (segments.length < 6) segments.push([{ kind: "star" }]);
  return segments;
}

/** Splits a concrete ARN into its six segments, or undefined when it is not an ARN. */
export function splitArn(value: string): string[] | undefined {
  const cached = arnCache.get(value);
  if (cached !== undefined || arnCache.has(value)) return cached;

  const parts = value.split(":");
  const split = parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
  if (arnCache.size > 10_000) arnCache.clear();
  arnCache.set(value, split);
  return split;
}

const arnCache = new Map<string, string[] | undefined>();

/**
 * A matcher for an ARN pattern: each of the six segments is matched on its own, so a wildcard
 * never spans a colon between segments. `"*"` alone matches every value.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function toArnMatcher(tokens: readonly Token[]): Matcher {
  if (tokens.length === 1 && tokens[0]?.kind === "star") return ALWAYS;
  const segments = arnSegments(tokens) ?? padShortArn(tokens);
  if (!segments) return () => false;

  const matchers = segments.map((segment) => toMatcher(segment, false));
  return (value) => {
    const parts = splitArn(value);
    if (parts === undefined) return false;
    for (let i = 0; i < 6; i++) if (!(matchers[i] as Matcher)(parts[i] as string)) return false;
    return true;
  };
}
