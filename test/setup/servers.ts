import { spawn, execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import type { ServersInfo } from "../support/servers.js";

const run = promisify(execFile);
const here = import.meta.dirname;

/**
 * Starts the real servers the integration tests use, on 127.0.0.1: Ceph's RADOS Gateway (S3
 * with bucket policies) and moto (KMS, IAM). A server whose software is missing is reported and
 * its tests skip, unless NIMBLE_REQUIRE_SERVERS=1 (as in CI), which makes that an error.
 * NIMBLE_SERVERS=none starts nothing, for a quick run of the unit tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const info: ServersInfo = { rgw: null, moto: null, skipped: {} };
  if (process.env.NIMBLE_SERVERS === "none") {
    info.skipped = { rgw: "NIMBLE_SERVERS=none", moto: "NIMBLE_SERVERS=none" };
    project.provide("servers", info);
    return async () => {};
  }

  await Promise.all([
    startRgw().then(
      (rgw) => {
        info.rgw = rgw.endpoint;
        stops.push(rgw.stop);
      },
      (error: Error) => (info.skipped.rgw = error.message),
    ),
    startMoto().then(
      (moto) => {
        info.moto = moto.endpoint;
        stops.push(moto.stop);
      },
      (error: Error) => (info.skipped.moto = error.message),
    ),
  ]);

  const started = [info.rgw && `Ceph RGW at ${info.rgw}`, info.moto && `moto at ${info.moto}`];
  const list = started.filter(Boolean).join(", ");
  if (list) console.log(`[servers] started ${list}; stopped after the run`);
  for (const [name, reason] of Object.entries(info.skipped)) {
    if (process.env.NIMBLE_REQUIRE_SERVERS === "1") throw new Error(`${name}: ${reason}`);
    console.warn(`[servers] ${name} not started, its tests will skip: ${reason}`);
  }
  project.provide("servers", info);
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

async function startRgw(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  await run("sh", ["-c", "command -v radosgw ceph-mon ceph-osd"]).catch(() => {
    throw new Error("radosgw, ceph-mon or ceph-osd is not installed (see .ci/run)");
  });
  const dir = await mkdtemp(join(tmpdir(), "nimble-rgw-"));
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  await run("bash", [join(here, "../servers/rgw-start.sh"), dir, `${rgwPort}`, `${monPort}`], {
    timeout: 150_000,
  });
  const stop = async () => {
    await run("bash", [join(here, "../servers/rgw-stop.sh"), dir]);
  };
  return { endpoint: `http://127.0.0.1:${rgwPort}`, stop };
}

async function startMoto(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  await run("python3", ["-c", "import moto.server"]).catch(() => {
    throw new Error("python3 with moto is not available");
  });
  const port = await freePort();
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", `${port}`], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: "inf" },
    stdio: "ignore",
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${endpoint}/moto-api/`)).ok, 20_000);
  const stop = async () => {
    child.kill("SIGKILL");
    await Promise.resolve();
  };
  return { endpoint, stop };
}

async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
