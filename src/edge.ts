/**
 * Small helpers for reading untyped input at the edge: parsed JSON, SDK errors and HTTP headers.
 * Each is pure; none throws.
 */

/**
 * Whether a value is a JSON object (not null, not an array).
 * @param value - anything parsed or thrown
 * @returns true for a plain object-like value
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The media type of a Content-Type header, lower-cased and without parameters; characters
 * outside a media type's alphabet are shown as `?` so the value is safe to print.
 * @param header - the Content-Type header value, if any
 * @returns e.g. "application/xml", or undefined when absent or empty
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1
 */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type === undefined || type === "" ? undefined : type.replace(/[^\w.+/-]/g, "?");
}

/**
 * The first line of a text, so a multi-line error message stays one line in output.
 * @param text - any text
 * @returns the text up to its first line feed
 */
export function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
