// Runs every benchmark in bench/ in turn. Each prints its own figures, as ratios against a
// baseline measured in the same run. Usage: npm run bench [-- NAME-FILTER]
import { readdir } from "node:fs/promises";
import { spawnSync } from "node:child_process";

const filter = process.argv[2] ?? "";
const dir = new URL("../bench/", import.meta.url);
const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.mjs") && f.includes(filter));
let failed = 0;
for (const file of files.sort()) {
  console.log(`\n## ${file}`);
  const result = spawnSync(process.execPath, [new URL(file, dir).pathname], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
