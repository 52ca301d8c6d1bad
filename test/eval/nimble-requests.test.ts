/**
 * The requests Nimble makes, as a bucket or key policy sees them: labels match the shared cases,
 * and the context holds what Nimble's facts and AWS's condition-key docs say it holds.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nimbleKmsRequests, nimbleRequests } from "../../src/policy/eval/nimble-requests.js";

const cases = JSON.parse(
  readFileSync(new URL("./fixtures/cases.json", import.meta.url), "utf8"),
) as Record<string, { expected: { operations?: Record<string, string> } }>;

const jobs = nimbleRequests({ use: "jobs", bucket: "b" });
const byOperation = (operation: string) => jobs.find((r) => r.operation === operation);

describe("nimbleRequests", () => {
  it("labels every operation of the shared S3 cases", () => {
    const labels = Object.keys(cases.C01?.expected.operations ?? {});

    expect(labels).toHaveLength(6);
    for (const label of labels) expect(byOperation(label), label).toBeDefined();
  });

  it.each([
    ["HeadBucket", "s3:ListBucket", "arn:aws:s3:::b"],
    ["ListObjectsV2(input/)", "s3:ListBucket", "arn:aws:s3:::b"],
    ["HeadObject(input/...)", "s3:GetObject", "arn:aws:s3:::b/input/example"],
    [
      "PutObject(output/.nimble-connection-test)",
      "s3:PutObject",
      "arn:aws:s3:::b/output/.nimble-connection-test",
    ],
    ["AbortMultipartUpload(output/*)", "s3:AbortMultipartUpload", "arn:aws:s3:::b/output/example"],
  ])("%s is %s on %s", (operation, action, resource) => {
    expect(byOperation(operation)).toMatchObject({ action, resource });
  });

  it("HeadBucket carries no s3:prefix, s3:delimiter or s3:max-keys", () => {
    const context = byOperation("HeadBucket")?.context ?? {};

    expect(Object.keys(context)).not.toContain("s3:prefix");
    expect(byOperation("HeadBucket")?.unknownKeys).not.toContain("s3:delimiter");
  });

  it("the probe lists one key under the input prefix without a delimiter", () => {
    expect(byOperation("ListObjectsV2(input/)")?.context).toMatchObject({
      "s3:prefix": "input/",
      "s3:max-keys": "1",
    });
    expect(byOperation("ListObjectsV2(input/)")?.testConnection).toEqual(["read"]);
  });

  // The read test HEADs the key it listed, and "to use HEAD, you must have the s3:GetObject
  // permission". @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
  it("HeadObject of the listed input key is a read step (s3:GetObject)", () => {
    expect(byOperation("HeadObject(input/...)")).toMatchObject({
      action: "s3:GetObject",
      testConnection: ["read"],
    });
  });

  it("Nimble's uploads leave the encryption and ACL headers unknown; the probe sends none", () => {
    expect(byOperation("PutObject(output/*)")?.unknownKeys).toContain(
      "s3:x-amz-server-side-encryption",
    );
    expect(byOperation("PutObject(output/.nimble-connection-test)")?.unknownKeys).not.toContain(
      "s3:x-amz-server-side-encryption",
    );
  });

  it("knows the principal and HTTPS, and not the source IP or VPC endpoint", () => {
    const request = byOperation("GetObject(input/*)");

    expect(request?.context).toMatchObject({
      "aws:PrincipalArn": "arn:aws:iam::744254827463:user/crawlit-scrapy",
      "aws:PrincipalAccount": "744254827463",
      "aws:PrincipalType": "User",
      "aws:username": "crawlit-scrapy",
      "aws:SecureTransport": "true",
    });
    expect(request?.unknownKeys).toEqual(
      expect.arrayContaining(["aws:SourceIp", "aws:PrincipalOrgID"]),
    );
    expect(Object.keys(request?.context ?? {})).not.toContain("aws:SourceVpce");
  });

  it("uses the prefixes and principal given", () => {
    const custom = nimbleRequests({
      use: "jobs",
      bucket: "b",
      inputPrefix: "in/",
      outputPrefix: "",
      principal: "arn:aws:iam::111122223333:user/me",
    });

    expect(custom.map((r) => r.operation)).toContain("GetObject(in/*)");
    expect(custom.map((r) => r.operation)).toContain("PutObject(.nimble-connection-test)");
    expect(custom[0]?.context?.["aws:PrincipalAccount"]).toBe("111122223333");
  });

  it("delivery makes GetBucketLocation, PutObject and PutObjectAcl under its prefix", () => {
    const delivery = nimbleRequests({ use: "delivery", bucket: "b", prefix: "out/" });

    expect(delivery.map((r) => [r.operation, r.action, r.resource])).toEqual([
      ["GetBucketLocation(bucket)", "s3:GetBucketLocation", "arn:aws:s3:::b"],
      ["PutObject(out/*)", "s3:PutObject", "arn:aws:s3:::b/out/example.json"],
      ["PutObjectAcl(out/*)", "s3:PutObjectAcl", "arn:aws:s3:::b/out/example.json"],
      [
        "PutObject(out/.nimble-connection-test)",
        "s3:PutObject",
        "arn:aws:s3:::b/out/.nimble-connection-test",
      ],
    ]);
    expect(delivery[0]?.principal).toBe("arn:aws:iam::744254827463:user/webit-uploader");
  });

  it("marks the delivery probe's steps as write steps, its upload carrying no unknown header", () => {
    const delivery = nimbleRequests({ use: "delivery", bucket: "b", prefix: "out/" });
    const steps = delivery.filter((r) => r.testConnection?.includes("write"));

    expect(steps.map((r) => r.operation)).toEqual([
      "GetBucketLocation(bucket)",
      "PutObject(out/.nimble-connection-test)",
    ]);
    expect(steps[1]?.unknownKeys).not.toContain("s3:x-amz-server-side-encryption");
  });
});

describe("nimbleKmsRequests", () => {
  const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/k";
  const kms = nimbleKmsRequests({ use: "jobs", keyArn });

  it("maps reads and multipart parts to kms:Decrypt and writes to kms:GenerateDataKey", () => {
    expect(kms.map((r) => [r.operation, r.action])).toEqual([
      ["GetObject(input/*)", "kms:Decrypt"],
      ["GetObject(output/*)", "kms:Decrypt"],
      ["PutObject(output/*)", "kms:GenerateDataKey"],
      ["UploadPart(output/*)", "kms:Decrypt"],
      ["PutObject(output/.nimble-connection-test)", "kms:GenerateDataKey"],
    ]);
  });

  it("carries kms:CallerAccount and kms:ViaService for the key's region", () => {
    expect(kms[0]).toMatchObject({
      resource: keyArn,
      context: {
        "kms:CallerAccount": "744254827463",
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
      },
    });
  });
});

describe("the KMS calls S3 makes for Nimble", () => {
  // IAM's documentation does not list S3 among the services that set aws:CalledVia, so a key
  // policy conditioned on it cannot be decided here.
  it("leave aws:CalledVia unknown, so a condition on it depends", async () => {
    const { evaluatePolicy } = await import("../../src/policy/eval/evaluate.js");
    const keyArn = "arn:aws:kms:us-east-1:111122223333:key/k";
    const [request] = nimbleKmsRequests({ use: "jobs", keyArn });
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow" as const,
          Principal: { AWS: "arn:aws:iam::744254827463:user/crawlit-scrapy" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": "s3.amazonaws.com" } },
        },
      ],
    };

    expect(request && evaluatePolicy(policy, request).decision).toBe("depends");
  });
});
