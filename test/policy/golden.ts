import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

const GOLDEN_DIR = new URL("../golden/", import.meta.url);

/**
 * Compares text with test/golden/NAME. `UPDATE_GOLDEN=1` rewrites the file instead; review the
 * diff before committing it, since a golden file is only as right as its review.
 */
export function expectGolden(name: string, text: string): void {
  const file = new URL(name, GOLDEN_DIR);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_GOLDEN !== "1") throw new Error(`${name}: golden file was missing`);
  }

  expect(text).toBe(readFileSync(file, "utf8"));
}
