// Requests and wall time of `nimble-bucket probe` (read and write) against a local Ceph RGW,
// next to a minimal hand-written AWS SDK script doing the same operations, in the same run.
// Starts RGW itself (test/servers/rgw-start.sh) in a temp dir and stops it. Requests are counted
// by a loopback proxy in front of RGW. The CLI and the script launch alternately, RUNS times
// each; medians. Needs the bundle (npm run build). Usage: node bench/probe.bench.mjs [RUNS]
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer, request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("../", import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 21);
const bucket = "bench-probe";
const owner = { AWS_ACCESS_KEY_ID: "OWNERACCESSKEY0000001", AWS_SECRET_ACCESS_KEY: "ownersecret" };
const env = {
  ...process.env,
  ...owner,
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  NO_COLOR: "1",
};

const BASELINE = {
  read: `
import { S3Client, HeadBucketCommand, ListObjectsV2Command, HeadObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({ endpoint: process.env.BENCH_ENDPOINT, forcePathStyle: true });
await s3.send(new HeadBucketCommand({ Bucket: "${bucket}" }));
const list = await s3.send(new ListObjectsV2Command({ Bucket: "${bucket}", Prefix: "input/", MaxKeys: 1 }));
await s3.send(new HeadObjectCommand({ Bucket: "${bucket}", Key: list.Contents[0].Key }));
console.log("ok");`,
  write: `
import { S3Client, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({ endpoint: process.env.BENCH_ENDPOINT, forcePathStyle: true });
await s3.send(new HeadBucketCommand({ Bucket: "${bucket}" }));
await s3.send(new PutObjectCommand({ Bucket: "${bucket}", Key: "output/.nimble-connection-test", Body: new Uint8Array(0), ContentLength: 0 }));
console.log("ok");`,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A loopback proxy that forwards to RGW and counts requests. */
async function countingProxy(target) {
  const counter = { requests: 0 };
  const server = createServer((req, res) => {
    counter.requests += 1;
    const upstream = request(
      { host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { counter, server, endpoint: `http://127.0.0.1:${server.address().port}` };
}

function timed(args, extraEnv) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}: ${output}`));
      else resolve(ms);
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One launch of each subject per round, alternating, so load changes hit both alike. */
async function measure(proxy, subjects) {
  const rows = subjects.map(({ label }) => ({ label, times: [], requests: 0 }));
  for (let i = 0; i < runs; i += 1) {
    for (const [index, { args, extraEnv }] of subjects.entries()) {
      const before = proxy.counter.requests;
      rows[index].times.push(await timed(args, extraEnv));
      rows[index].requests = proxy.counter.requests - before;
    }
  }
  return rows.map(({ label, times, requests }) => ({ label, ms: median(times), requests }));
}

async function setUp(endpoint) {
  const script = `
import { S3Client, CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({ endpoint: "${endpoint}", forcePathStyle: true });
await s3.send(new CreateBucketCommand({ Bucket: "${bucket}" }));
await s3.send(new PutObjectCommand({ Bucket: "${bucket}", Key: "input/urls.csv", Body: "id\\n1\\n" }));`;
  await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root, env });
}

const dir = await mkdtemp(join(tmpdir(), "nimble-bench-rgw-"));
const [rgwPort, monPort] = [await freePort(), await freePort()];
if (!existsSync(join(root, "dist/bundle/nimble-bucket.mjs"))) {
  await run("node", ["scripts/bundle.mjs"], { cwd: root });
}
console.log(`starting RGW on 127.0.0.1:${rgwPort} (about 16 s)…`);
await run("bash", [join(root, "test/servers/rgw-start.sh"), dir, `${rgwPort}`, `${monPort}`], {
  timeout: 150_000,
});
let proxy;
try {
  await setUp(`http://127.0.0.1:${rgwPort}`);
  proxy = await countingProxy(rgwPort);
  const cli = (mode, path) => [
    "bin/nimble-bucket.js",
    "probe",
    `--${mode}`, // --read URL: the fast path (flags as data, no yargs)
    `s3://${bucket}/${path}/`,
    "--endpoint",
    proxy.endpoint,
    "--path-style",
    "--format",
    "json",
  ];
  const script = (mode) => ["--input-type=module", "-e", BASELINE[mode]];
  const endpointEnv = { BENCH_ENDPOINT: proxy.endpoint };

  const rows = [];
  for (const mode of ["read", "write"]) {
    const path = mode === "read" ? "input" : "output";
    const subjects = [
      { label: `probe --${mode}`, args: cli(mode, path), extraEnv: {} },
      { label: `SDK script (${mode})`, args: script(mode), extraEnv: endpointEnv },
    ];
    rows.push(await measure(proxy, subjects));
  }

  console.log(
    `median of ${runs} alternating runs each, wall time from spawn to exit, requests seen by ` +
      "the proxy\n",
  );
  console.log(
    "| operation | requests | wall ms | baseline requests | baseline ms | request ratio | time ratio |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [ours, base] of rows) {
    const requestRatio = (ours.requests / base.requests).toFixed(2);
    const timeRatio = (ours.ms / base.ms).toFixed(2);
    console.log(
      `| ${ours.label} | ${ours.requests} | ${ours.ms.toFixed(0)} | ${base.requests} | ${base.ms.toFixed(0)} | ${requestRatio} | ${timeRatio} |`,
    );
  }
  const extra = rows.some(([ours, base]) => ours.requests > base.requests);
  console.log(
    extra ? "\nFAIL: the probe sent more requests than the script" : "\nno extra requests",
  );
  if (extra) process.exitCode = 1;
} finally {
  proxy?.server.close();
  await run("bash", [join(root, "test/servers/rgw-stop.sh"), dir]).catch((error) => {
    console.error(`rgw-stop failed: ${error.message}`);
  });
}
