import { NimbleError } from "../../src/errors.js";
import type { CliIo } from "../../src/cli/io.js";

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
export function fakeIo(inputs: Record<string, string> = {}): CliIo & {
  out: string;
  err: string;
} {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    readInput: (path: string) => {
      const text = inputs[path];
      return text === undefined
        ? Promise.reject(new Error(`ENOENT: no such file, open '${path}'`))
        : Promise.resolve(text);
    },
    isTty: false,
    env: {},
  };
  return io;
}
