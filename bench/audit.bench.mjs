// Wall time of auditing 10,000 bucket-policy files (read, parse, evaluate every Nimble request,
// run every check), next to a baseline measured in the same run on the same files: reading and
// JSON.parse-ing them. Reports the ratio. Usage: node bench/audit.bench.mjs [COUNT]
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTs } from "../scripts/load-ts.mjs";

const { auditS3, parsePolicyText } = await loadTs("audit-bench", {
  auditS3: "src/audit/audit-s3.ts",
  parsePolicyText: "src/policy/parse.ts",
});

const count = Number(process.argv[2] ?? 10_000);
const JOBS = "arn:aws:iam::744254827463:user/crawlit-scrapy";

/** A deterministic variety of policies: the template, and the documented mistakes. */
function policyFor(i) {
  const bucket = `bench-bucket-${i}`;
  const arn = `arn:aws:s3:::${bucket}`;
  const allow = (Sid, Action, Resource, Condition) => ({
    Sid,
    Effect: "Allow",
    Principal: { AWS: JOBS },
    Action,
    Resource,
    ...(Condition ? { Condition } : {}),
  });
  const statements = [
    i % 5 === 1
      ? allow("List", "s3:ListBucket", `${arn}/*`)
      : allow(
          "List",
          "s3:ListBucket",
          arn,
          i % 5 === 2 ? { StringLike: { "s3:prefix": "input/*" } } : undefined,
        ),
    allow("ReadInput", "s3:GetObject", `${arn}/input/*`),
    allow(
      "ReadWriteOutput",
      ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      `${arn}/output/*`,
    ),
  ];
  if (i % 5 === 3) {
    statements.push({
      Sid: "DenyOutsideVpce",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f67890" } },
    });
  }
  if (i % 5 === 4) {
    statements.push({
      Sid: "DenyNoSse",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${arn}/*`,
      Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
    });
  }
  return {
    bucket,
    text: JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2),
  };
}

const dir = await mkdtemp(join(tmpdir(), "nimble-audit-bench-"));
const files = [];
for (let i = 0; i < count; i++) {
  const { bucket, text } = policyFor(i);
  const path = join(dir, `${bucket}.json`);
  await writeFile(path, text);
  files.push({ bucket, path });
}

async function baseline() {
  let statements = 0;
  for (const { path } of files)
    statements += JSON.parse(await readFile(path, "utf8")).Statement.length;
  return statements;
}

async function audit() {
  let findings = 0;
  for (const { bucket, path } of files) {
    const document = parsePolicyText(await readFile(path, "utf8"), path);
    findings += auditS3({ use: "jobs", bucket, bucketPolicy: { document, source: path } }).findings
      .length;
  }
  return findings;
}

async function time(run) {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

try {
  await baseline(); // warm the file cache and the JIT for both
  await audit();
  const base = await time(baseline);
  const full = await time(audit);
  console.log(`files:                         ${count}`);
  console.log(`baseline (read + JSON.parse):  ${base.ms.toFixed(0)} ms`);
  console.log(
    `audit (read, parse, evaluate, every check): ${full.ms.toFixed(0)} ms, ${full.result} findings`,
  );
  console.log(`per file:                      ${((full.ms / count) * 1000).toFixed(0)} µs`);
  console.log(`ratio audit / baseline:        ${(full.ms / base.ms).toFixed(1)}x`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
