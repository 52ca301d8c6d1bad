import { printable } from "../policy/names.js";
import type { ProbeResult } from "../probe/types.js";
import { isOk } from "../probe/types.js";
import { markdownCell, terminalText, xmlEscape } from "./escape.js";
import { redact } from "./redact.js";
import { render } from "./templates.js";

/** Output formats of `nimble-bucket probe`. */
export const PROBE_FORMATS = ["text", "json", "junit", "markdown"] as const;

/** One of {@link PROBE_FORMATS}. */
export type ProbeFormat = (typeof PROBE_FORMATS)[number];

/** How to render: colour for a terminal, and the environment whose secrets must not show. */
export interface ProbeReportOptions {
  /** ANSI colour on the chips (text only). @default false */
  color?: boolean;
  /** Environment for {@link redact}. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Renders probe results. Every name, target and detail passes through `redact()` first.
 * JSON: `{"results": [{name?, target, mode, status, chip, detail, operations}]}`; JUnit: one test
 * case per probe, a failure for each failed one; Markdown: a table for a CI job summary. A
 * connection's `name` (from `--config`) shows next to its target: `s3://b/in/ (nightly crawl)`.
 * @param results - probe results, in the order to show
 * @param format - text, json, junit or markdown
 * @param options - colour and environment
 * @returns the report, ending in a newline
 * @see https://no-color.org/
 */
export async function renderProbeReport(
  results: readonly ProbeResult[],
  format: ProbeFormat,
  options: ProbeReportOptions = {},
): Promise<string> {
  const safe = results.map((result) => redacted(result, options.env));
  switch (format) {
    case "json":
      return `${JSON.stringify({ results: safe }, null, 2)}\n`;
    case "text":
      return textReport(safe, options.color ?? false);
    case "junit":
      return render("probe-junit", view(safe, xmlEscape));
    case "markdown":
      return render("probe-markdown", view(safe, markdownCell));
  }
}

function redacted(result: ProbeResult, env: ProbeReportOptions["env"]): ProbeResult {
  const name = result.name === undefined ? {} : { name: printable(redact(result.name, env)) };
  return {
    ...name,
    target: redact(result.target, env),
    mode: result.mode,
    status: result.status,
    chip: result.chip,
    detail: redact(result.detail, env),
    operations: result.operations.map((op) => ({ ...op })),
  };
}

const GREEN = "\u001b[32m";
const RED = "\u001b[31m";
const RESET = "\u001b[0m";

function textReport(results: readonly ProbeResult[], color: boolean): string {
  const width = Math.max(...results.map((r) => r.chip.length), 0);
  const lines = results.flatMap((result) => {
    const chip = result.chip.padEnd(width);
    const shown = color ? `${isOk(result.status) ? GREEN : RED}${chip}${RESET}` : chip;
    const where = terminalLine(label(result));
    return [`${shown}  ${result.mode.padEnd(5)}  ${where}`, `    ${terminalLine(result.detail)}`];
  });
  const { total, passed, failed } = counts(results);

  return `${[...lines, `${total} probe(s): ${passed} OK, ${failed} failed`].join("\n")}\n`;
}

/**
 * Server-supplied text (error messages, object names) may carry escape sequences that would
 * retitle or recolour the terminal: control characters show as `\uXXXX`, each field on one line.
 * The colours the report adds itself are applied after this.
 */
function terminalLine(text: string): string {
  return terminalText(text.replace(/\r?\n/g, " "));
}

function view(results: readonly ProbeResult[], escape: (text: string) => string) {
  return {
    ...counts(results),
    results: results.map((result) => ({
      target: escape(label(result)),
      mode: result.mode,
      status: result.status,
      chip: escape(result.chip),
      detail: escape(result.detail),
      failed: !isOk(result.status),
    })),
  };
}

/** The target, and the connection's name next to it when it has one. */
function label(result: ProbeResult): string {
  return result.name === undefined ? result.target : `${result.target} (${result.name})`;
}

function counts(results: readonly ProbeResult[]): {
  total: number;
  passed: number;
  failed: number;
} {
  const passed = results.filter((result) => isOk(result.status)).length;
  return { total: results.length, passed, failed: results.length - passed };
}
