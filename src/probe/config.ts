import { parse } from "yaml";
import { NimbleError } from "../errors.js";
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

function parseYaml(text: string, source: string): unknown {
  try {
    return parse(text, { uniqueKeys: true }) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new NimbleError("E_INPUT", `${source}: not valid YAML or JSON: ${message}`, source);
  }
}

function asObject(value: unknown, path: string, source: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(source, path, "must be an object");
  }
  return value as Record<string, unknown>;
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
