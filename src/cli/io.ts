/** Where the CLI writes, injected so commands can be tested as argv in, output and exit code out. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file, or standard input for "-" */
  readInput: (path: string) => Promise<string>;
  /** True when stdout is a terminal (colour, progress lines) */
  isTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams. */
export async function processIo(): Promise<CliIo> {
  const { readFile } = await import("node:fs/promises");
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readInput: (path) => (path === "-" ? readStdin() : readFile(path, "utf8")),
    isTty: process.stdout.isTTY === true,
    env: process.env,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Exit codes: 0 all good, 1 a check or probe failed, 2 usage or input error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
