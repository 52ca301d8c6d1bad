import { readFile } from "node:fs/promises";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

/**
 * Runs the CLI in-process: argv in, exit code and output out. Files resolve from the repo root.
 * `isTty` stands for a terminal (progress lines); @default false
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  isTty = false,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readInput: (path) => readFile(new URL(path, ROOT), "utf8"),
    isTty,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const ROOT = new URL("../../", import.meta.url);
