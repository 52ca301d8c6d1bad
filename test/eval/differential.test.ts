/**
 * Differential test: on a fixed seed, thousands of generated bucket policies with fully known
 * request contexts get the same decision from our evaluator and from iam-simulate.
 * A larger run: node scripts/differential.mjs --seed N --count 100000
 */
import { describe, expect, it } from "vitest";
import { runDifferential } from "./differential.js";
import { generateCases } from "./generator.js";
import { evaluatePolicy } from "../../src/policy/eval/evaluate.js";

const SEED = 20240601;
const COUNT = 3000;

describe("differential against iam-simulate", () => {
  it(`agrees on ${COUNT} generated policies (seed ${SEED})`, async () => {
    const { mismatches, tally } = await runDifferential(SEED, COUNT);

    expect(mismatches.slice(0, 3)).toEqual([]);
    // the generator must exercise every outcome, or agreement proves little
    expect(tally.allowed).toBeGreaterThan(COUNT / 10);
    expect(tally["explicitly-denied"]).toBeGreaterThan(COUNT / 10);
    expect(tally["implicitly-denied"]).toBeGreaterThan(COUNT / 10);
    expect(tally.depends).toBe(0);
  }, 60_000);

  it("never answers depends when no key is unknown", () => {
    const decisions = generateCases(SEED + 1, 500, { notPrincipal: true }).map(
      (c) => evaluatePolicy(c.policy, c.request).decision,
    );

    expect(decisions).not.toContain("depends");
  });
});
