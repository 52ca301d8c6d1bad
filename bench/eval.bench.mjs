// Decisions per second of our policy evaluator next to @cloud-copilot/iam-simulate (dev-only
// reference) on the same generated policies and requests, in the same run, as a ratio.
// Goal: >= 20x. Usage: node bench/eval.bench.mjs [COUNT]
import { loadTs } from "../scripts/load-ts.mjs";

const { evaluatePolicy, generateCases, simulation, nimbleRequests } = await loadTs(
  "eval-bench",
  {
    evaluatePolicy: "src/policy/eval/evaluate.ts",
    generateCases: "test/eval/generator.ts",
    simulation: "test/eval/reference.ts",
    nimbleRequests: "src/policy/eval/nimble-requests.ts",
  },
  ["@cloud-copilot/*"],
);
const { runSimulation } = await import("@cloud-copilot/iam-simulate");

const count = Number(process.argv[2] ?? 5000);
const cases = generateCases(42, count, { variables: true, keyCase: true });

/** Decisions per second of a synchronous `decide` over every case, best of `rounds`. */
function rateSync(label, list, decide, rounds = 5) {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const c of list[round] ?? list[0]) decide(c);
    best = Math.max(best, count / ((performance.now() - started) / 1000));
  }
  return { label, perSecond: best };
}

/** Decisions per second of iam-simulate's public (async) entry point. */
async function rateReference() {
  const started = performance.now();
  for (const c of cases) await runSimulation(simulation(c.policy, c.request), {});
  return {
    label: "iam-simulate runSimulation",
    perSecond: count / ((performance.now() - started) / 1000),
  };
}

// Warm-up so both engines run JIT-compiled code.
for (const c of cases.slice(0, 300)) {
  evaluatePolicy(structuredClone(c.policy), c.request);
  await runSimulation(simulation(c.policy, c.request), {});
}

const reference = await rateReference();
// Cold: fresh policy objects every round, so compiling each policy is part of every decision.
const freshRounds = Array.from({ length: 5 }, () =>
  cases.map((c) => ({ ...c, policy: structuredClone(c.policy) })),
);
const cold = rateSync("ours, policy compiled per decision", freshRounds, (c) =>
  evaluatePolicy(c.policy, c.request),
);
// Warm: the same policies again (the audit evaluates a dozen requests per bucket policy).
const warm = rateSync("ours, policy already compiled", [cases], (c) =>
  evaluatePolicy(c.policy, c.request),
);

for (const r of [reference, cold, warm]) {
  const ratio = (r.perSecond / reference.perSecond).toFixed(1);
  console.log(
    `${r.label.padEnd(40)} ${Math.round(r.perSecond).toString().padStart(9)} decisions/s  ${ratio}x`,
  );
}

// Audit-shaped: each bucket policy once, with every request Nimble makes (Jobs and delivery),
// compile included. Unknown keys are dropped so that both engines see the same known context.
const requests = [
  ...nimbleRequests({ use: "jobs", bucket: "bkt" }),
  ...nimbleRequests({ use: "delivery", bucket: "bkt", prefix: "out/" }),
].map((r) => ({ ...r, unknownKeys: [] }));
const policies = cases.slice(0, 1000).map((c) => c.policy);
const auditDecisions = policies.length * requests.length;
let started = performance.now();
for (const policy of policies.slice(0, 100)) {
  for (const r of requests) await runSimulation(simulation(policy, r), {});
}
const auditReference = (100 * requests.length) / ((performance.now() - started) / 1000);
let bestAudit = 0;
for (let round = 0; round < 3; round++) {
  const fresh = policies.map((p) => structuredClone(p));
  started = performance.now();
  for (const policy of fresh) for (const r of requests) evaluatePolicy(policy, r);
  bestAudit = Math.max(bestAudit, auditDecisions / ((performance.now() - started) / 1000));
}
const auditRatio = bestAudit / auditReference;
console.log(`\naudit-shaped (${requests.length} Nimble requests per policy, compile included):`);
console.log(
  `${"iam-simulate runSimulation".padEnd(40)} ${Math.round(auditReference).toString().padStart(9)} decisions/s  1.0x`,
);
console.log(
  `${"ours".padEnd(40)} ${Math.round(bestAudit).toString().padStart(9)} decisions/s  ${auditRatio.toFixed(1)}x`,
);
const coldRatio = cold.perSecond / reference.perSecond;
console.log(
  `goal >= 20x: audit-shaped ${auditRatio >= 20 ? "met" : "NOT met"}, single cold decision ${coldRatio >= 20 ? "met" : "NOT met"}`,
);
