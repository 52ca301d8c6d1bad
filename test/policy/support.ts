import { NimbleError } from "../../src/errors.js";
import { capturedIo, fileMap, type CapturedIo } from "../support/io.js";

/** Runs fn and returns the NimbleError it throws (fails the test when it throws none). */
export function catchError(fn: () => unknown): NimbleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NimbleError) return error;
    throw error;
  }
  throw new Error("expected a NimbleError");
}

/** A CliIo that records output; `inputs` answers readInput (path or "-"). */
export function fakeIo(inputs: Record<string, string> = {}): CapturedIo {
  return capturedIo({ readInput: fileMap(inputs) });
}
