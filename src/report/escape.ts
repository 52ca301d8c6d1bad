import { printable } from "../policy/names.js";

/**
 * Escapes text for XML content and attribute values (JUnit). Characters XML 1.0 cannot carry
 * at all (C0 controls other than tab, newline and carriage return) are written as `\uXXXX`.
 * @see https://www.w3.org/TR/xml/#charsets
 */
export function xmlEscape(text: string): string {
  return text
    .replace(XML_FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[<>&"']/g, (c) => XML_ENTITIES[c] ?? c);
}

// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Escapes text for a Markdown table cell: pipes, line breaks, control characters, and `<`, `>`
 * and `&`, which GitHub's job summaries would otherwise read as HTML.
 */
export function markdownCell(text: string): string {
  const escaped = printable(text.replace(/\r?\n/g, " ")).replace(
    /[<>&]/g,
    (c) => XML_ENTITIES[c] ?? c,
  );
  return escaped.replace(/\|/g, "\\|");
}

/** Makes text safe for a terminal: control characters (escape sequences included) as `\uXXXX`. */
export function terminalText(text: string): string {
  return text
    .split("\n")
    .map((line) => printable(line))
    .join("\n");
}
