import { parse as parseHcl } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { main } from "../../src/cli/main.js";
import { gcsBindings } from "../../src/policy/generate/gcs.js";
import { kmsKeyPolicy } from "../../src/policy/generate/kms.js";
import { s3BucketPolicy } from "../../src/policy/generate/s3.js";
import { expectGolden } from "./golden.js";
import { fakeIo } from "./support.js";

async function run(argv: string[]): Promise<string> {
  const io = fakeIo();
  const code = await main(argv, io);
  expect(code, io.err).toBe(0);
  return io.out;
}

const s3 = ["policy", "s3", "--bucket", "example-bucket"];
const delivery = [...s3, "--for", "delivery", "--prefix", "results/"];
const gcs = ["policy", "gcs", "--bucket", "example-bucket"];

describe("golden output, every format", () => {
  it.each([
    ["policy-s3-jobs.json", s3],
    ["policy-s3-jobs.tf", [...s3, "--format", "terraform"]],
    ["policy-s3-jobs.cfn.yaml", [...s3, "--format", "cloudformation"]],
    ["policy-s3-jobs.aws-cli.sh", [...s3, "--format", "aws-cli"]],
    ["policy-s3-jobs-prefixes.json", [...s3, "--input-prefix", "in", "--output-prefix", "out/x/"]],
    ["policy-s3-delivery-prefix.json", delivery],
    ["policy-s3-delivery-prefix.tf", [...delivery, "--format", "terraform"]],
    ["policy-s3-delivery-documented.json", [...s3, "--for", "delivery", "--documented"]],
    ["policy-kms-delivery-statement.json", ["policy", "kms", "--for", "delivery"]],
    [
      "policy-kms-jobs-key-policy.json",
      ["policy", "kms", "--for", "jobs", "--region", "us-east-1", "--account", "111122223333"],
    ],
    ["policy-gcs.json", gcs],
    ["policy-gcs-prefix.json", [...gcs, "--prefix", "results/"]],
    ["policy-gcs.gcloud.sh", [...gcs, "--format", "gcloud"]],
    ["policy-gcs-prefix.gcloud.sh", [...gcs, "--prefix", "results/", "--format", "gcloud"]],
    ["policy-gcs-prefix.tf", [...gcs, "--prefix", "results/", "--format", "terraform"]],
  ])("%s", async (name, argv) => {
    expectGolden(name, await run(argv));
  });
});

describe("rendered formats parse back to the same grants", () => {
  // A prefix with a quote, a backslash-free HCL/YAML/shell special set: ' " % { } and a space.
  const prefix = `it's "odd" %{x} /`;
  const policy = s3BucketPolicy({ use: "delivery", bucket: "example-bucket", prefix });
  const argv = [...s3, "--for", "delivery", "--prefix", prefix];

  it("Terraform: the heredoc holds the policy JSON", async () => {
    const hcl = (await parseHcl("main.tf", await run([...argv, "--format", "terraform"]))) as {
      resource: { aws_s3_bucket_policy: { nimble: [{ bucket: string; policy: string }] } };
    };
    const resource = hcl.resource.aws_s3_bucket_policy.nimble[0];

    expect(resource.bucket).toBe("example-bucket");
    // hcl2json keeps template escapes ("%%{") as written; Terraform reads them as "%{".
    expect(JSON.parse(resource.policy.replaceAll("%%{", "%{"))).toEqual(policy);
  });

  it("CloudFormation: PolicyDocument is the policy", async () => {
    const template = parseYaml(await run([...argv, "--format", "cloudformation"])) as {
      Resources: { NimbleBucketPolicy: { Type: string; Properties: Record<string, unknown> } };
    };
    const resource = template.Resources.NimbleBucketPolicy;

    expect(resource.Type).toBe("AWS::S3::BucketPolicy");
    expect(resource.Properties).toEqual({ Bucket: "example-bucket", PolicyDocument: policy });
  });

  it("aws-cli: the single-quoted --policy argument is the policy", async () => {
    const text = await run([...argv, "--format", "aws-cli"]);
    const quoted = /--policy '((?:[^']|'\\'')*)'\n$/.exec(text)?.[1] ?? "";

    expect(JSON.parse(quoted.replaceAll(`'\\''`, "'"))).toEqual(policy);
  });

  it("KMS: the complete key policy is plain JSON", async () => {
    const text = await run(["policy", "kms", "--account", "111122223333"]);
    expect(JSON.parse(text)).toEqual(kmsKeyPolicy({ use: "jobs", account: "111122223333" }));
  });

  it("GCS Terraform: the condition block carries the binding's condition", async () => {
    const gcsPrefix = `it's "odd"/`;
    const [binding] = gcsBindings({ bucket: "example-bucket", prefix: gcsPrefix });
    const text = await run([...gcs, "--prefix", gcsPrefix, "--format", "terraform"]);
    const hcl = (await parseHcl("main.tf", text)) as {
      resource: {
        google_storage_bucket_iam_member: {
          nimble: [{ role: string; member: string; condition: [Record<string, string>] }];
        };
      };
    };
    const resource = hcl.resource.google_storage_bucket_iam_member.nimble[0];

    expect(resource.role).toBe(binding?.role);
    expect(resource.member).toBe(binding?.members[0]);
    expect(resource.condition[0]).toEqual(binding?.condition);
  });

  it("gcloud: the condition file is the binding's condition", async () => {
    const [binding] = gcsBindings({ bucket: "example-bucket", prefix: "results/" });
    const text = await run([...gcs, "--prefix", "results/", "--format", "gcloud"]);
    const file = /<<'NIMBLE_EOF'\n([\s\S]*?)\nNIMBLE_EOF\n/.exec(text)?.[1] ?? "";

    expect(JSON.parse(file)).toEqual(binding?.condition);
    expect(text).toContain("--role='roles/storage.objectCreator'");
  });
});
