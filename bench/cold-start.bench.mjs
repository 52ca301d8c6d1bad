// Cold start of `nimble-bucket policy s3 --bucket example-bucket` and of the README's main job, the
// offline audit, against `node -e 0`, measured in the same run with alternating launches; prints
// medians and each one's ratio to the baseline. The goal (issue 2) is for `policy s3`: under
// 1.5x, so nothing heavy is imported on that path; the audit's figure is reported alongside.
// Needs the bundle: npm run build. Usage: node bench/cold-start.bench.mjs [RUNS]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const GOALS = { "nimble-bucket policy s3": 1.5 };
const runs = Number(process.argv[2] ?? 40);
const bin = fileURLToPath(new URL("../bin/nimble-bucket.js", import.meta.url));
const bundle = new URL("../dist/bundle/nimble-bucket.mjs", import.meta.url);
const policy = fileURLToPath(
  new URL("../examples/s3/jobs-good.bucket-policy.json", import.meta.url),
);
const BASELINE = "node -e 0";
const subjects = {
  [BASELINE]: ["-e", "0"],
  "nimble-bucket policy s3": [bin, "policy", "s3", "--bucket", "example-bucket"],
  "nimble-bucket audit (README job)": [
    bin,
    "audit",
    "--bucket",
    "acme-data-exchange",
    "--policy",
    policy,
  ],
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

const baseline = median(times[BASELINE]);
const width = Math.max(...Object.keys(subjects).map((name) => name.length)) + 2;
console.log(`runs: ${runs} each, alternating; medians`);
console.log(`${BASELINE.padEnd(width)}${baseline.toFixed(1)} ms`);
for (const name of Object.keys(subjects).filter((n) => n !== BASELINE)) {
  const cli = median(times[name]);
  const ratio = (cli / baseline).toFixed(2);
  const goal = GOALS[name] ? ` (goal < ${GOALS[name]}x)` : "";
  console.log(`${name.padEnd(width)}${cli.toFixed(1)} ms  ${ratio}x${goal}`);
}
