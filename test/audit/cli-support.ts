import { readFile } from "node:fs/promises";
import { main } from "../../src/cli/main.js";
import { capturedIo, type CapturedIo } from "../support/io.js";

/** The CLI's io for tests: output captured, files read from the repo root. */
export type TestIo = CapturedIo;

/**
 * A captured io whose files resolve from the repo root.
 * @param isTty - stand for a terminal (progress lines); @default false
 */
export function testIo(isTty = false, env: Record<string, string | undefined> = {}): TestIo {
  return capturedIo({ readInput: (path) => readFile(new URL(path, ROOT), "utf8"), isTty, env });
}

/**
 * Runs the CLI in-process: argv in, exit code and output out. Files resolve from the repo root.
 * `isTty` stands for a terminal (progress lines); @default false
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  isTty = false,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = testIo(isTty, env);
  const code = await main(argv, io);
  return { code, stdout: io.out, stderr: io.err };
}

const ROOT = new URL("../../", import.meta.url);
