/** Escapes text for XML content and attribute values (JUnit, SARIF-adjacent XML). */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for a Markdown table cell. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
