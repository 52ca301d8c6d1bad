import { NimbleError } from "../errors.js";

/**
 * Parses JSON text, and on failure names the line and column of the first error, which
 * Node's JSON.parse does not report.
 * @param text - the file's contents
 * @param source - the file name (or "stdin") to put in the error
 * @returns the parsed value, still `unknown`
 * @throws NimbleError E_JSON "SOURCE: invalid JSON at line L column C: ..."
 */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { offset, message } = firstJsonError(text.replace(/^\uFEFF/, ""));
    const { line, column } = lineAndColumn(text, offset);
    throw new NimbleError(
      "E_JSON",
      `${source}: invalid JSON at line ${line} column ${column}: ${message}`,
      source,
    );
  }
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

  constructor(readonly text: string) {}

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
      : `unexpected '${found}', ${wanted}`;
  }
}

function firstJsonError(text: string): JsonError {
  const scanner = new Scanner(text);
  try {
    value(scanner);
    if (scanner.peek() !== "") scanner.fail(scanner.unexpected("expected end of input"));
  } catch (error) {
    if (error instanceof JsonError) return error;
    throw error;
  }
  return new JsonError(0, "not valid JSON");
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
  for (;;) {
    if (s.peek() !== '"') s.fail(s.unexpected("expected a quoted property name"));
    string(s);
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
  const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.text.slice(s.offset));
  if (!match) s.fail(s.unexpected("expected a number"));
  s.offset += match[0].length;
}
