// Cold start of `nimble-bucket policy s3 --bucket example-bucket` against `node -e 0`, measured
// in the same run with alternating launches; prints medians and their ratio (goal: under 1.5x).
// Needs the bundle: npm run build. Usage: node bench/cold-start.bench.mjs [RUNS]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const GOAL = 1.5;
const runs = Number(process.argv[2] ?? 40);
const bin = fileURLToPath(new URL("../bin/nimble-bucket.js", import.meta.url));
const bundle = new URL("../dist/bundle/nimble-bucket.mjs", import.meta.url);
const subjects = {
  "node -e 0": ["-e", "0"],
  "nimble-bucket policy s3": [bin, "policy", "s3", "--bucket", "example-bucket"],
};

if (!existsSync(bundle)) {
  console.error("dist/bundle/nimble-bucket.mjs is missing: run npm run build first");
  process.exit(1);
}

function timeOnce(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "ignore"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited with ${result.status}`);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const times = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
for (const args of Object.values(subjects)) timeOnce(args); // warm the file-system cache
for (let i = 0; i < runs; i += 1) {
  for (const [name, args] of Object.entries(subjects)) times[name].push(timeOnce(args));
}

const baseline = median(times["node -e 0"]);
const cli = median(times["nimble-bucket policy s3"]);
const ratio = cli / baseline;
console.log(`runs: ${runs} each, alternating; medians`);
console.log(`node -e 0                  ${baseline.toFixed(1)} ms`);
console.log(`nimble-bucket policy s3    ${cli.toFixed(1)} ms`);
console.log(`ratio                      ${ratio.toFixed(2)}x (goal < ${GOAL}x)`);
