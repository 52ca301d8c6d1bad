import { describe, expect, it } from "vitest";
import { NimbleError } from "../../src/errors.js";
import { DELIVERY_PRINCIPAL, JOBS_PRINCIPAL } from "../../src/nimble.js";
import { s3BucketPolicy, s3PolicyStatements } from "../../src/policy/generate/s3.js";
import type { S3PolicyOptions } from "../../src/policy/generate/s3.js";
import type { Statement } from "../../src/policy/types.js";
import { C04 } from "./fixtures/cases.js";
import { catchError } from "./support.js";

// Expected statements: the Jobs table and the delivery template of Nimble's docs
// (../shared/nimble/facts.md section 2), the delivery split narrowed to the storage_url prefix.
const jobs = (input: string, output: string): Statement[] => [
  {
    Sid: "NimbleListBucket",
    Effect: "Allow",
    Principal: { AWS: JOBS_PRINCIPAL },
    Action: "s3:ListBucket",
    Resource: "arn:aws:s3:::example-bucket",
  },
  {
    Sid: "NimbleReadInputPrefix",
    Effect: "Allow",
    Principal: { AWS: JOBS_PRINCIPAL },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::example-bucket/${input}*`,
  },
  {
    Sid: "NimbleReadWriteOutputPrefix",
    Effect: "Allow",
    Principal: { AWS: JOBS_PRINCIPAL },
    Action: [
      "s3:GetObject",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ],
    Resource: `arn:aws:s3:::example-bucket/${output}*`,
  },
];

const delivery = (objects: string): Statement[] => [
  {
    Sid: "NimbleCloudDeliveryBucketLocation",
    Effect: "Allow",
    Principal: { AWS: DELIVERY_PRINCIPAL },
    Action: "s3:GetBucketLocation",
    Resource: "arn:aws:s3:::example-bucket",
  },
  {
    Sid: "NimbleCloudDelivery",
    Effect: "Allow",
    Principal: { AWS: DELIVERY_PRINCIPAL },
    Action: ["s3:PutObject", "s3:PutObjectAcl"],
    Resource: objects,
  },
];

const documented: Statement[] = [
  {
    Sid: "NimbleCloudDelivery",
    Effect: "Allow",
    Principal: { AWS: DELIVERY_PRINCIPAL },
    Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketLocation"],
    Resource: ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
  },
];

const bucket = "example-bucket";

describe("s3PolicyStatements", () => {
  it.each<[string, S3PolicyOptions, Statement[]]>([
    ["jobs with the default prefixes", { use: "jobs", bucket }, jobs("input/", "output/")],
    [
      "jobs with prefixes given without a trailing slash",
      { use: "jobs", bucket, inputPrefix: "in/batch", outputPrefix: "out//" },
      jobs("in/batch/", "out/"),
    ],
    [
      "jobs with the whole bucket as input (empty prefix)",
      { use: "jobs", bucket, inputPrefix: "" },
      jobs("", "output/"),
    ],
    [
      "delivery to the whole bucket",
      { use: "delivery", bucket },
      delivery("arn:aws:s3:::example-bucket/*"),
    ],
    [
      "delivery to a storage_url prefix",
      { use: "delivery", bucket, prefix: "results/daily" },
      delivery("arn:aws:s3:::example-bucket/results/daily/*"),
    ],
    ["delivery as documented", { use: "delivery", bucket, documented: true }, documented],
  ])("emits %s", (_name, options, expected) => {
    expect(s3PolicyStatements(options)).toEqual(expected);
  });

  it("puts an overriding principal in every statement", () => {
    const principal = "arn:aws:iam::123456789012:role/partner";
    const statements = s3PolicyStatements({ use: "jobs", bucket, principal });

    expect(statements.map((s) => s.Principal)).toEqual(Array(3).fill({ AWS: principal }));
  });

  // C02 generator_must: HeadBucket is authorized as s3:ListBucket and carries no s3:prefix or
  // s3:delimiter, so a conditioned ListBucket would refuse Test Connection's first step.
  // @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
  it("C02: never conditions ListBucket (HeadBucket needs it unconditioned)", () => {
    const list = s3PolicyStatements({
      use: "jobs",
      bucket,
      inputPrefix: "a/",
      outputPrefix: "b/",
    }).filter((s) => s.Action === "s3:ListBucket");

    expect(list).toHaveLength(1);
    expect(list[0]?.Condition).toBeUndefined();
    expect(list[0]?.Resource).toBe("arn:aws:s3:::example-bucket");
  });

  it("wraps the statements in a 2012-10-17 document", () => {
    expect(s3BucketPolicy({ use: "jobs", bucket })).toEqual({
      Version: "2012-10-17",
      Statement: jobs("input/", "output/"),
    });
  });
});

describe("C04: prefixes with IAM wildcard characters", () => {
  const options: S3PolicyOptions = {
    use: "jobs",
    bucket: C04.bucket,
    inputPrefix: C04.inputPrefix,
    outputPrefix: C04.outputPrefix,
    principal: C04.vendorPrincipal,
  };

  // C04 allows refusing such prefixes with an error; never emitting a raw '*' or '?' from input.
  it("refuses the input prefix with '?', naming the flag", () => {
    expect(() => s3PolicyStatements(options)).toThrow(/^--input-prefix: "drop\?zone\/input\/"/);
  });

  it("refuses the output prefix with '*', naming the flag", () => {
    expect(() => s3PolicyStatements({ ...options, inputPrefix: "input/" })).toThrow(
      /^--output-prefix: "results\*\/output\/"/,
    );
  });

  it("never emits the widened resources", () => {
    let emitted = "";
    try {
      emitted = JSON.stringify(s3PolicyStatements(options));
    } catch (error) {
      expect(error).toBeInstanceOf(NimbleError);
    }
    for (const resource of C04.mustNot) expect(emitted).not.toContain(resource);
  });
});

describe("bad input", () => {
  it.each<[string, S3PolicyOptions, string]>([
    ["an upper-case bucket", { use: "jobs", bucket: "Example" }, "--bucket"],
    ["a bucket like an IP address", { use: "jobs", bucket: "192.168.1.1" }, "--bucket"],
    ["a two-character bucket", { use: "jobs", bucket: "ab" }, "--bucket"],
    [
      "a '$' in the delivery prefix",
      { use: "delivery", bucket, prefix: "a${aws:username}/" },
      "--prefix",
    ],
    [
      "a leading '/' in the input prefix",
      { use: "jobs", bucket, inputPrefix: "/in/" },
      "--input-prefix",
    ],
    [
      "'..' in the output prefix",
      { use: "jobs", bucket, outputPrefix: "out/../x/" },
      "--output-prefix",
    ],
    ["a control character in the prefix", { use: "delivery", bucket, prefix: "a\nb/" }, "--prefix"],
    [
      "a principal that is not an ARN",
      { use: "jobs", bucket, principal: "crawlit-scrapy" },
      "--principal",
    ],
    ["--documented for jobs", { use: "jobs", bucket, documented: true }, "--documented"],
    [
      "--documented with a prefix",
      { use: "delivery", bucket, documented: true, prefix: "x/" },
      "--prefix",
    ],
  ])("rejects %s with an E_INPUT error naming %s", (_name, options, field) => {
    const error = catchError(() => s3PolicyStatements(options));

    expect(error).toMatchObject({ code: "E_INPUT", field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).not.toContain("\n");
  });
});
