import { NimbleError } from "../errors.js";
import { printable } from "./names.js";

/** How strictly to read JSON. */
export interface JsonOptions {
  /**
   * Also refuse what JSON.parse accepts but cannot give back unchanged: an object key given
   * twice (JSON.parse keeps the last silently) and a number whose text would be rewritten
   * (`1.50`, `1e3`, integers beyond 2^53). Used where a document is written back out.
   * @default false
   */
  exact?: boolean;
  /**
   * Refuse an object key given twice (JSON.parse keeps the last silently, which can turn a
   * Deny into an Allow). Implied by `exact`.
   * @default false
   */
  uniqueKeys?: boolean;
}

/**
 * Parses JSON text, and on failure names the line and column of the first error, which
 * Node's JSON.parse does not report. A leading byte-order mark is ignored.
 * @param text - the file's contents
 * @param source - the file name (or "stdin") to put in the error
 * @param options - strictness
 * @returns the parsed value, still `unknown`
 * @throws NimbleError E_JSON "SOURCE: invalid JSON at line L column C: ..."
 */
export function parseJsonText(text: string, source: string, options: JsonOptions = {}): unknown {
  const body = text.replace(/^\uFEFF/, "");
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    throw jsonError(
      body,
      source,
      firstJsonError(body, GRAMMAR_ONLY) ?? new JsonError(0, "not valid JSON"),
    );
  }

  const checks = {
    uniqueKeys: options.exact === true || options.uniqueKeys === true,
    numbers: options.exact === true,
  };
  const problem = checks.uniqueKeys ? firstJsonError(body, checks) : undefined;
  if (problem) throw jsonError(body, source, problem);
  return value;
}

function jsonError(text: string, source: string, { offset, message }: JsonError): NimbleError {
  const { line, column } = lineAndColumn(text, offset);
  return new NimbleError(
    "E_JSON",
    `${source}: invalid JSON at line ${line} column ${column}: ${message}`,
    source,
  );
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

class JsonError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

class Scanner {
  offset = 0;

  constructor(
    readonly text: string,
    readonly checks: Checks,
  ) {}

  fail(message: string): never {
    throw new JsonError(this.offset, message);
  }

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text[this.offset] ?? "")) this.offset += 1;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.offset] ?? "";
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(this.unexpected(`expected '${char}'`));
    this.offset += 1;
  }

  unexpected(wanted: string): string {
    const found = this.text[this.offset];
    return found === undefined
      ? `unexpected end of input, ${wanted}`
      : `unexpected '${printable(found)}', ${wanted}`;
  }
}

/** What the scanner refuses beyond JSON's grammar. */
interface Checks {
  uniqueKeys: boolean;
  numbers: boolean;
}

const GRAMMAR_ONLY: Checks = { uniqueKeys: false, numbers: false };

function firstJsonError(text: string, checks: Checks): JsonError | undefined {
  const scanner = new Scanner(text, checks);
  try {
    value(scanner);
    if (scanner.peek() !== "") scanner.fail(scanner.unexpected("expected end of input"));
  } catch (error) {
    if (error instanceof JsonError) return error;
    throw error;
  }
  return undefined;
}

function value(s: Scanner): void {
  const c = s.peek();
  if (c === "{") return object(s);
  if (c === "[") return array(s);
  if (c === '"') return string(s);
  if (/[-0-9]/.test(c)) return number(s);
  for (const literal of ["true", "false", "null"]) {
    if (s.text.startsWith(literal, s.offset)) {
      s.offset += literal.length;
      return;
    }
  }
  s.fail(s.unexpected("expected a value"));
}

function object(s: Scanner): void {
  s.expect("{");
  if (s.peek() === "}") {
    s.offset += 1;
    return;
  }
  const keys = new Set<string>();
  for (;;) {
    if (s.peek() !== '"') s.fail(s.unexpected("expected a quoted property name"));
    const start = s.offset;
    string(s);
    const key = JSON.parse(s.text.slice(start, s.offset)) as string;
    if (s.checks.uniqueKeys && keys.has(key)) {
      s.offset = start;
      s.fail(`"${printable(key)}" is given twice in the same object`);
    }
    keys.add(key);
    s.expect(":");
    value(s);
    if (s.peek() === "}") break;
    s.expect(",");
  }
  s.offset += 1;
}

function array(s: Scanner): void {
  s.expect("[");
  if (s.peek() === "]") {
    s.offset += 1;
    return;
  }
  for (;;) {
    value(s);
    if (s.peek() === "]") break;
    s.expect(",");
  }
  s.offset += 1;
}

function string(s: Scanner): void {
  s.offset += 1;
  for (;;) {
    const c = s.text[s.offset];
    if (c === undefined) s.fail("unterminated string");
    if (c === '"') break;
    if (c < " ") s.fail("control character in string");
    if (c === "\\") {
      const escape = s.text[s.offset + 1] ?? "";
      if (escape === "u" && !/^[0-9a-fA-F]{4}$/.test(s.text.slice(s.offset + 2, s.offset + 6))) {
        s.fail("bad \\u escape");
      }
      if (!/["\\/bfnrtu]/.test(escape)) s.fail(`bad escape '\\${escape}'`);
      s.offset += 1;
    }
    s.offset += 1;
  }
  s.offset += 1;
}

function number(s: Scanner): void {
  const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
    s.text.slice(s.offset, s.offset + 400),
  );
  if (!match) s.fail(s.unexpected("expected a number"));
  const raw = match[0];
  if (s.checks.numbers && JSON.stringify(Number(raw)) !== raw) {
    s.fail(`the number ${raw} would be rewritten as ${JSON.stringify(Number(raw))}; quote it`);
  }
  s.offset += raw.length;
}
