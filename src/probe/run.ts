import { firstLine } from "../edge.js";
import { mapConcurrent } from "../concurrency.js";
import type { Use } from "../nimble.js";
import type { S3ProbeOptions } from "./s3.js";
import type { Target } from "./target.js";
import { redact } from "../report/redact.js";
import type { ProbeMode, ProbeResult } from "./types.js";
import { CHIPS } from "./types.js";

/** One probe to run: a target, a mode and the Nimble identity it stands for. */
export interface ProbeSpec {
  target: Target;
  mode: ProbeMode;
  use: Use;
  /** The connection's name (`--config`), carried to the result */
  name?: string;
}

/** A probe for one provider, with the GCS helper's signature. */
export type Prober = (
  target: Target,
  mode: ProbeMode,
  options: { endpoint?: string; timeoutMs?: number; use?: Use },
) => Promise<ProbeResult>;

/** Options for {@link runProbes}. */
export interface RunOptions {
  /** S3 connection settings, shared by every s3:// probe */
  s3?: Omit<S3ProbeOptions, "use">;
  /** GCS endpoint (tests, emulators) */
  gcsEndpoint?: string;
  /** Per-request timeout in ms. @default 10000 */
  timeoutMs?: number;
  /** Probes in flight at once. @default 4 */
  concurrency?: number;
  /** Replaces the provider probes (tests) */
  probers?: Partial<Record<Target["provider"], Prober>>;
}

/** @default probes in flight at once */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Runs many probes with bounded concurrency; results come back in the order of `specs`.
 * S3 probes load the AWS SDK, GCS probes `src/gcs/probe.ts`, each only when needed. Never
 * rejects: a probe that throws becomes a `connection-failed` result naming the error.
 * @param specs - what to probe
 * @param options - connection settings, concurrency
 * @returns one result per spec
 */
export async function runProbes(
  specs: readonly ProbeSpec[],
  options: RunOptions = {},
): Promise<ProbeResult[]> {
  const width = options.concurrency ?? DEFAULT_CONCURRENCY;

  return mapConcurrent(specs, width, async (spec) => {
    const result = await probeOne(spec, options).catch((error: unknown) => crashed(spec, error));
    return named(result, spec.name);
  });
}

async function probeOne(spec: ProbeSpec, options: RunOptions): Promise<ProbeResult> {
  const prober =
    options.probers?.[spec.target.provider] ?? (await defaultProber(spec.target.provider));
  const timeoutMs = options.timeoutMs ?? options.s3?.timeoutMs;
  const common = { use: spec.use, ...(timeoutMs === undefined ? {} : { timeoutMs }) };

  if (spec.target.provider === "gcs") {
    const endpoint = options.gcsEndpoint === undefined ? {} : { endpoint: options.gcsEndpoint };
    return prober(spec.target, spec.mode, { ...common, ...endpoint });
  }
  return prober(spec.target, spec.mode, { ...options.s3, ...common });
}

/**
 * A probe that threw or rejected (a bug, or a client library tripping over an odd answer) is a
 * failed connection with the cause, so the other probes are still reported.
 */
function crashed(spec: ProbeSpec, error: unknown): ProbeResult {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const detail = `the probe stopped with an unexpected error (${firstLine(cause)}); retry, and report it if it persists`;

  return {
    target: spec.target.url,
    mode: spec.mode,
    status: "connection-failed",
    chip: CHIPS["connection-failed"],
    detail: redact(detail),
    operations: [],
  };
}

function named(result: ProbeResult, name: string | undefined): ProbeResult {
  return name === undefined ? result : { name, ...result };
}

async function defaultProber(provider: Target["provider"]): Promise<Prober> {
  if (provider === "s3") return (await import("./s3.js")).probeS3;

  return (await import("../gcs/probe.js")).probeGcs;
}
