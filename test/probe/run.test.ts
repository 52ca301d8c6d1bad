import { describe, expect, it } from "vitest";
import type { Prober, ProbeSpec } from "../../src/probe/run.js";
import { runProbes } from "../../src/probe/run.js";
import { parseTarget } from "../../src/probe/target.js";
import { CHIPS } from "../../src/probe/types.js";

const spec = (url: string): ProbeSpec => ({
  target: parseTarget(url, "t"),
  mode: "write",
  use: "jobs",
});

function recordingProber(log: { inFlight: number; peak: number; calls: string[] }): Prober {
  return async (target, mode, options) => {
    log.inFlight += 1;
    log.peak = Math.max(log.peak, log.inFlight);
    log.calls.push(`${target.url} ${options.use ?? "?"} ${options.timeoutMs ?? "-"}`);
    await new Promise((resolve) => setTimeout(resolve, 5 + (target.url.length % 3)));
    log.inFlight -= 1;
    return { target: target.url, mode, status: "ok", chip: CHIPS.ok, detail: "", operations: [] };
  };
}

describe("runProbes", () => {
  it.each([1, 2, 4])(
    "keeps at most %i probes in flight and results in input order",
    async (bound) => {
      const log = { inFlight: 0, peak: 0, calls: [] as string[] };
      const specs = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"].map((p) =>
        spec(`s3://b-1/${p}/`),
      );

      const results = await runProbes(specs, {
        concurrency: bound,
        probers: { s3: recordingProber(log) },
      });

      expect(log.peak).toBe(bound);
      expect(results.map((r) => r.target)).toEqual(specs.map((s) => s.target.url));
    },
  );

  it("sends gs:// targets to the GCS prober with the GCS endpoint and timeout", async () => {
    const s3 = { inFlight: 0, peak: 0, calls: [] as string[] };
    const gcs = { inFlight: 0, peak: 0, calls: [] as string[] };

    await runProbes([spec("s3://b-1/o/"), spec("gs://b-2/o/")], {
      timeoutMs: 1500,
      gcsEndpoint: "http://127.0.0.1:9",
      probers: { s3: recordingProber(s3), gcs: recordingProber(gcs) },
    });

    expect([s3.calls, gcs.calls]).toEqual([["s3://b-1/o/ jobs 1500"], ["gs://b-2/o/ jobs 1500"]]);
  });

  it("carries a connection's name from the spec to its result, and only when it has one", async () => {
    const log = { inFlight: 0, peak: 0, calls: [] as string[] };
    const specs = [{ ...spec("s3://b-1/o/"), name: "nightly crawl" }, spec("s3://b-1/p/")];

    const results = await runProbes(specs, { probers: { s3: recordingProber(log) } });

    expect(results.map((r) => [r.name, r.target])).toEqual([
      ["nightly crawl", "s3://b-1/o/"],
      [undefined, "s3://b-1/p/"],
    ]);
    expect(Object.keys(results[1] ?? {})).not.toContain("name");
  });
});
