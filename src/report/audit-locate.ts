import { lineAndColumn } from "../policy/json.js";

/**
 * Finds where a JSON path such as `Statement[2].Condition` starts in the original text of a
 * policy file, so SARIF and text reports can point at the line to change.
 */

type Segment = string | number;

/**
 * @param text - the file's original JSON text
 * @param path - a path like `Statement[2].Condition` (`Statement[0]` also finds a lone object)
 * @returns the 1-based line and column of the value (or of its key), or undefined
 */
export function locateJsonPath(
  text: string,
  path: string,
): { line: number; column: number } | undefined {
  const offset = findOffset(text, parsePath(path));
  return offset === undefined ? undefined : lineAndColumn(text, offset);
}

function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) {
    segments.push(match[1] !== undefined ? Number(match[1]) : (match[2] ?? ""));
  }
  return segments;
}

function findOffset(text: string, segments: Segment[]): number | undefined {
  const walker = { text, offset: 0 };
  try {
    return descend(walker, segments);
  } catch {
    return undefined;
  }
}

interface Walker {
  text: string;
  offset: number;
}

function skipSpace(w: Walker): void {
  while (/\s/.test(w.text[w.offset] ?? "")) w.offset += 1;
}

/** Offset of the value at `segments` below the value starting at w.offset. */
function descend(w: Walker, segments: Segment[]): number | undefined {
  skipSpace(w);
  const [head, ...rest] = segments;
  if (head === undefined) return w.offset;

  const c = w.text[w.offset];
  if (c === "{" && typeof head === "string") return inObject(w, head, rest);
  if (c === "[" && typeof head === "number") return inArray(w, head, rest);
  if (c === "{" && head === 0) return descend(w, rest);
  return undefined;
}

function inObject(w: Walker, key: string, rest: Segment[]): number | undefined {
  w.offset += 1;
  for (;;) {
    skipSpace(w);
    if (w.text[w.offset] !== '"') return undefined;
    const keyStart = w.offset;
    const name = readString(w);
    skipSpace(w);
    w.offset += 1; // ':'
    if (name === key) return rest.length === 0 ? keyStart : descend(w, rest);
    skipValue(w);
    skipSpace(w);
    if (w.text[w.offset] !== ",") return undefined;
    w.offset += 1;
  }
}

function inArray(w: Walker, index: number, rest: Segment[]): number | undefined {
  w.offset += 1;
  for (let i = 0; ; i += 1) {
    skipSpace(w);
    if (i === index) return descend(w, rest);
    skipValue(w);
    skipSpace(w);
    if (w.text[w.offset] !== ",") return undefined;
    w.offset += 1;
  }
}

function readString(w: Walker): string {
  const start = w.offset;
  w.offset += 1;
  while (w.text[w.offset] !== '"') {
    if (w.offset >= w.text.length) throw new Error("unterminated string");
    w.offset += w.text[w.offset] === "\\" ? 2 : 1;
  }
  w.offset += 1;
  return JSON.parse(w.text.slice(start, w.offset)) as string;
}

function skipValue(w: Walker): void {
  skipSpace(w);
  const c = w.text[w.offset];
  if (c === '"') {
    readString(w);
    return;
  }
  if (c !== "{" && c !== "[") {
    while (w.offset < w.text.length && !/[\s,}\]]/.test(w.text[w.offset] ?? "")) w.offset += 1;
    return;
  }
  let depth = 0;
  do {
    const d = w.text[w.offset];
    if (d === '"') {
      readString(w);
      continue;
    }
    if (d === "{" || d === "[") depth += 1;
    if (d === "}" || d === "]") depth -= 1;
    w.offset += 1;
  } while (depth > 0 && w.offset < w.text.length);
}
