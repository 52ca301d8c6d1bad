/**
 * Error codes of nimble-bucket. Bad input is a `usage` or `input` error (exit 2); everything else
 * that the tool itself detects carries one of the other codes.
 */
export type ErrorCode =
  | "E_USAGE"
  | "E_INPUT"
  | "E_JSON"
  | "E_LIMIT"
  | "E_FORBIDDEN_GRANT"
  | "E_FORBIDDEN_REQUEST"
  | "E_IO";

/** An expected failure with a stable code and, for bad input, the field (flag or JSON path). */
export class NimbleError extends Error {
  override readonly name = "NimbleError";

  /**
   * @param code - stable error code
   * @param message - one line, no secrets
   * @param field - the flag or JSON path the message is about, when there is one
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Bad input: a malformed flag value, file or principal. */
export function inputError(field: string, message: string): NimbleError {
  return new NimbleError("E_INPUT", `${field}: ${message}`, field);
}

/** True for errors that the CLI reports as usage errors (exit code 2). */
export function isUsageError(error: unknown): error is NimbleError {
  return (
    error instanceof NimbleError &&
    (error.code === "E_USAGE" || error.code === "E_INPUT" || error.code === "E_JSON")
  );
}
