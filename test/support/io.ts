import type { CliIo } from "../../src/cli/io.js";

/** A CliIo whose output is captured: `out` holds stdout, `err` stderr. */
export interface CapturedIo extends CliIo {
  out: string;
  err: string;
}

/** How a {@link capturedIo} reads files and what it stands for. */
export interface CapturedIoOptions {
  /** Answers readInput. @default a map with no files (every read fails) */
  readInput?: CliIo["readInput"];
  /** Stand for a terminal (colour, progress lines). @default false */
  isTty?: boolean;
  /** @default {} */
  env?: Record<string, string | undefined>;
}

/**
 * The CLI's io for tests: argv in, output and exit code out, nothing printed.
 * @param options - how files are read, terminal and environment
 * @returns the io, with `out` and `err` growing as the command prints
 */
export function capturedIo(options: CapturedIoOptions = {}): CapturedIo {
  const io: CapturedIo = {
    out: "",
    err: "",
    stdout: (text) => void (io.out += text),
    stderr: (text) => void (io.err += text),
    readInput: options.readInput ?? fileMap({}),
    isTty: options.isTty ?? false,
    env: options.env ?? {},
  };
  return io;
}

/**
 * A readInput that answers from a map (path or "-" for stdin); a missing path fails as Node's
 * readFile does, with ENOENT naming it.
 * @param files - path → text
 */
export function fileMap(files: Record<string, string>): CliIo["readInput"] {
  return (path) => {
    const text = files[path];
    return text === undefined
      ? Promise.reject(new Error(`ENOENT: no such file, open '${path}'`))
      : Promise.resolve(text);
  };
}
