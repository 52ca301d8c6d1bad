// A larger differential run of our policy evaluator against @cloud-copilot/iam-simulate
// (dev-only reference, AGPL: never imported from src/). Same generator and exclusions as the CI
// test (test/eval/differential.test.ts).
// Usage: node scripts/differential.mjs [--seed N] [--count N] [--show N]
import { loadTs } from "./load-ts.mjs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "20240601" },
    count: { type: "string", default: "100000" },
    show: { type: "string", default: "5" },
  },
});

const { runDifferential } = await loadTs(
  "differential",
  { runDifferential: "test/eval/differential.ts" },
  ["@cloud-copilot/*"],
);

const started = performance.now();
const { compared, mismatches, tally } = await runDifferential(
  Number(values.seed),
  Number(values.count),
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `seed ${values.seed}: ${compared} cases in ${seconds} s, ${mismatches.length} mismatches`,
);
console.log("our decisions:", tally);
for (const m of mismatches.slice(0, Number(values.show))) console.log(JSON.stringify(m));
process.exitCode = mismatches.length === 0 ? 0 : 1;
