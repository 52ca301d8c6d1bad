import type { Document } from "yaml";
import { isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import { isRecord } from "../edge.js";
import { NimbleError } from "../errors.js";
import { printable } from "../policy/names.js";
import type { Use } from "../nimble.js";
import type { Target } from "./target.js";
import { parseTarget } from "./target.js";

/**
 * The connections file shared by `probe --config` and `audit --config`:
 * `{ defaults?: { for? }, connections: [{ name?, for?, read?, write? }] }`, in YAML or JSON.
 */

/** One connection as Nimble's Job or delivery form holds it: an input path, an output path. */
export interface Connection {
  name?: string;
  /** Which Nimble identity uses it; from the connection, else `defaults.for`, else "jobs" */
  for: Use;
  /** Input path (Jobs only) */
  read?: Target;
  /** Output path (Jobs) or `storage_url` (delivery) */
  write?: Target;
}

const CONNECTION_KEYS = ["name", "for", "read", "write"];
const TOP_KEYS = ["defaults", "connections"];

/**
 * Parses a connections file. Every error is one line naming the file and the JSON path, e.g.
 * `probes.yaml: connections[2].write: …`.
 * @param text - the file's content (YAML, of which JSON is a subset)
 * @param source - the file name to put in errors
 * @returns the connections, in file order
 * @throws NimbleError E_INPUT
 */
export function parseConnections(text: string, source: string): Connection[] {
  const document = parseYaml(text, source);
  const top = asObject(document, "(top level)", source);
  checkKeys(top, TOP_KEYS, "", source);
  const defaults = top.defaults === undefined ? {} : asObject(top.defaults, "defaults", source);
  checkKeys(defaults, ["for"], "defaults.", source);
  const defaultUse = parseUse(defaults.for, "defaults.for", source) ?? "jobs";
  if (!Array.isArray(top.connections) || top.connections.length === 0) {
    throw fail(source, "connections", "must be a non-empty list");
  }

  return top.connections.map((entry: unknown, index) =>
    parseConnection(entry, `connections[${index}]`, source, defaultUse),
  );
}

function parseConnection(entry: unknown, path: string, source: string, fallback: Use): Connection {
  const raw = asObject(entry, path, source);
  checkKeys(raw, CONNECTION_KEYS, `${path}.`, source);
  if (raw.name !== undefined && typeof raw.name !== "string") {
    throw fail(source, `${path}.name`, "must be a string");
  }
  const use = parseUse(raw.for, `${path}.for`, source) ?? fallback;
  const read = optionalTarget(raw.read, `${path}.read`, source);
  const write = optionalTarget(raw.write, `${path}.write`, source);
  if (!read && !write) throw fail(source, path, "needs a read or a write URL");
  if (use === "delivery" && read) {
    throw fail(source, `${path}.read`, "delivery has no read access; give only write");
  }

  return { ...(raw.name === undefined ? {} : { name: raw.name }), for: use, read, write };
}

function optionalTarget(value: unknown, path: string, source: string): Target | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw fail(source, path, "must be an s3:// or gs:// URL string");

  try {
    return parseTarget(value, path);
  } catch (error) {
    if (error instanceof NimbleError)
      throw new NimbleError("E_INPUT", `${source}: ${error.message}`, path);
    throw error;
  }
}

function parseUse(value: unknown, path: string, source: string): Use | undefined {
  if (value === undefined) return undefined;
  if (value === "jobs" || value === "delivery") return value;
  throw fail(source, path, 'must be "jobs" or "delivery"');
}

/**
 * Parses YAML quietly: the `yaml` package's `parse()` prints warnings (such as an unknown tag) on
 * stderr itself; `parseDocument` only collects them. Errors, an unknown tag and any other warning
 * become one E_INPUT line naming the file and the JSON path, e.g. `connections[0].write`.
 * @see https://eemeli.org/yaml/#documents (errors and warnings are collected on the document)
 * @see https://yaml.org/spec/1.2.2/#1032-tag-resolution (core schema tags)
 */
function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  const [error] = document.errors;
  if (error) throw notYaml(source, error.message);
  const tagged = findUnknownTag(document.contents, "(top level)");
  if (tagged)
    throw fail(source, tagged.path, `unsupported YAML tag ${tagged.tag}; use plain values`);
  const [warning] = document.warnings;
  if (warning) throw notYaml(source, warning.message);

  return toJs(document, source);
}

function toJs(document: Document, source: string): unknown {
  try {
    return document.toJS() as unknown;
  } catch (error) {
    throw notYaml(source, error instanceof Error ? error.message : String(error));
  }
}

function notYaml(source: string, message: string): NimbleError {
  const line = printable(message.split("\n")[0] ?? "");
  return new NimbleError("E_INPUT", `${source}: not valid YAML or JSON: ${line}`, source);
}

/** The tags of YAML 1.2's core schema, the only ones a connections file needs. */
const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`),
);

/** The first node (keys included) with a tag outside the core schema, and its JSON path. */
function findUnknownTag(node: unknown, path: string): { path: string; tag: string } | undefined {
  if (!isNode(node)) return undefined;
  if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
    return { path, tag: printable(node.tag.replace(/^tag:yaml\.org,2002:/, "!!")) };
  }
  if (isSeq(node)) {
    return firstOf(
      node.items.map((item, index) => () => findUnknownTag(item, `${path}[${index}]`)),
    );
  }
  if (!isMap(node)) return undefined;

  return firstOf(
    node.items.flatMap((pair) => {
      const key = isScalar(pair.key) ? printable(String(pair.key.value)) : "?";
      const child = path === "(top level)" ? key : `${path}.${key}`;
      return [() => findUnknownTag(pair.key, child), () => findUnknownTag(pair.value, child)];
    }),
  );
}

function firstOf<T>(searches: readonly (() => T | undefined)[]): T | undefined {
  for (const search of searches) {
    const found = search();
    if (found !== undefined) return found;
  }
  return undefined;
}

function asObject(value: unknown, path: string, source: string): Record<string, unknown> {
  if (!isRecord(value)) throw fail(source, path, "must be an object");
  return value;
}

function checkKeys(value: object, allowed: string[], path: string, source: string): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw fail(
      source,
      `${path}${unknown}`,
      `unknown field (expected one of ${allowed.join(", ")})`,
    );
  }
}

function fail(source: string, path: string, message: string): NimbleError {
  return new NimbleError("E_INPUT", `${source}: ${path}: ${message}`, path);
}
