import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NimbleError } from "../../src/errors.js";
import type { GcsFormat, S3Format } from "../../src/policy/generate/formats.js";
import { renderGcsBindings, renderS3Policy } from "../../src/policy/generate/formats.js";
import { gcsBindings } from "../../src/policy/generate/gcs.js";
import { kmsKeyPolicy } from "../../src/policy/generate/kms.js";
import { s3BucketPolicy } from "../../src/policy/generate/s3.js";
import type { S3PolicyOptions } from "../../src/policy/generate/s3.js";
import { checkS3BucketName, normalizePrefix } from "../../src/policy/names.js";
import type { Statement } from "../../src/policy/types.js";
import { toList } from "../../src/policy/types.js";

/**
 * No output of any generator, in any format, may grant a delete or a wildcard that could match
 * one, and no resource may carry a `*` or `?` taken from user input (only the trailing `/*`).
 * The delete actions are listed here, independently of the guard under test.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * @see https://cloud.google.com/storage/docs/access-control/iam-roles
 */
const DELETE_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:DeleteObjectTagging",
  "s3:PutLifecycleConfiguration",
  "kms:ScheduleKeyDeletion",
  "kms:DeleteAlias",
  "kms:DeleteImportedKeyMaterial",
  "kms:DisableKey",
];
const DELETE_TEXT =
  /s3:Delete|kms:Delete|kms:ScheduleKeyDeletion|kms:DisableKey|storage\.objects\.delete|roles\/storage\.(admin|objectAdmin|objectUser|legacy)|"(s3|kms):\*"/;

/** IAM wildcard semantics, written out here: `*` any run, `?` one character, case-insensitive. */
function matches(pattern: string, action: string): boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i").test(action);
}

function deleteGrants(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => {
    if (s.Effect !== "Allow") return [];
    if (s.NotAction !== undefined) return ["NotAction"];
    return toList(s.Action).filter(
      (a) => /^[^:]*:?\*$/.test(a) || DELETE_ACTIONS.some((d) => matches(a, d)),
    );
  });
}

// Bucket names: lowercase letters, digits, hyphens and dots; filtered by the naming check.
const bucketArb = fc
  .tuple(
    fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
    fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-."),
      maxLength: 40,
    }),
    fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
  )
  .map(([a, b, c]) => `${a}${b}${c}`)
  .filter((name) => isValid(() => checkS3BucketName(name)) && !/g[o0]{2}gle|^goog|_/.test(name));

// Prefixes: any Unicode text, including IAM specials; invalid ones must be refused, not widened.
const prefixArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."ab/-_.!'()&@=;:+, \"\\%{}é*?$"), maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

function isValid(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (error instanceof NimbleError && error.code === "E_INPUT") return false;
    throw error;
  }
}

/** Runs a generator; input errors are a valid outcome (the input was refused, not widened). */
function generated<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof NimbleError && error.code === "E_INPUT") return undefined;
    throw error;
  }
}

const S3_FORMATS: S3Format[] = ["json", "terraform", "cloudformation", "aws-cli"];
const GCS_FORMATS: GcsFormat[] = ["json", "gcloud", "terraform"];

describe("never delete, never widen (property)", () => {
  it("S3 policies: no delete right, resources only under BUCKET/PREFIX", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        bucketArb,
        prefixArb,
        prefixArb,
        fc.constantFrom<[S3PolicyOptions["use"], boolean]>(
          ["jobs", false],
          ["delivery", false],
          ["delivery", true],
        ),
        async (bucket, first, second, [use, documented]) => {
          const options: S3PolicyOptions =
            use === "jobs"
              ? { use, bucket, inputPrefix: first, outputPrefix: second }
              : { use, bucket, prefix: documented ? undefined : first, documented };
          const policy = generated(() => s3BucketPolicy(options));
          if (!policy) return;
          accepted += 1;

          expect(deleteGrants(policy.Statement)).toEqual([]);
          const given = documented ? [] : use === "jobs" ? [first, second] : [first];
          const allowed = documented ? [""] : given.map((p) => normalizePrefix(p, "x"));
          for (const resource of policy.Statement.flatMap((s) => toList(s.Resource))) {
            expect(resource).toMatch(resourceShape(bucket, allowed));
          }
          for (const format of S3_FORMATS) {
            expect(await renderS3Policy(policy, format, { bucket, use })).not.toMatch(DELETE_TEXT);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(accepted).toBeGreaterThan(30); // the property saw enough accepted inputs
  });

  it("KMS key policies: no delete, disable or kms:*, Resource always *", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("jobs" as const, "delivery" as const),
        fc.stringMatching(/^\d{12}$/),
        fc.option(fc.constantFrom("us-east-1", "eu-west-3", "ap-southeast-2"), { nil: undefined }),
        (use, account, region) => {
          const policy = kmsKeyPolicy({ use, account, region });

          expect(deleteGrants(policy.Statement)).toEqual([]);
          expect(policy.Statement.flatMap((s) => toList(s.Resource))).toEqual(["*", "*"]);
          expect(JSON.stringify(policy)).not.toMatch(DELETE_TEXT);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("GCS bindings: only Storage Object Creator, condition prefix exactly as given", async () => {
    await fc.assert(
      fc.asyncProperty(bucketArb, prefixArb, async (bucket, prefix) => {
        const bindings = generated(() => gcsBindings({ bucket, prefix }));
        if (!bindings) return;

        expect(bindings.map((b) => b.role)).toEqual(["roles/storage.objectCreator"]);
        const expression = bindings[0]?.condition?.expression;
        if (expression !== undefined) {
          const literal = expression.slice("resource.name.startsWith(".length, -1);
          expect(JSON.parse(literal)).toBe(
            `projects/_/buckets/${bucket}/objects/${normalizePrefix(prefix, "x")}`,
          );
        }
        for (const format of GCS_FORMATS) {
          expect(await renderGcsBindings(bindings, format, bucket)).not.toMatch(DELETE_TEXT);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/** The bucket ARN, or BUCKET/PREFIX* for one of the allowed prefixes, with no other wildcard. */
function resourceShape(bucket: string, prefixes: string[]): RegExp {
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const objects = prefixes.map((p) => `${quote(p)}\\*`).join("|");
  return new RegExp(`^arn:aws:s3:::${quote(bucket)}(/(${objects}))?$`);
}
