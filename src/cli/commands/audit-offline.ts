import type { S3AuditInput } from "../../audit/audit-s3.js";
import { checkOwnership, parseEncryptionText, parseKeyMetadataText } from "../../audit/inputs.js";
import { inputError, NimbleError } from "../../errors.js";
import type { ParsedGcsAuditInput } from "../../gcs/audit.js";
import { parseGcsIamPolicy, parseGcsMetadata } from "../../gcs/policy.js";
import type { GcsBucketMetadata } from "../../gcs/policy.js";
import { checkGcsBucketName, checkS3BucketName, normalizePrefix } from "../../policy/names.js";
import { parsePolicyText } from "../../policy/parse.js";
import type { Target } from "../../probe/target.js";
import { useOf } from "../common.js";
import type { ReadFlagFile } from "./audit-flags.js";
import { jsonOf, member, prefixes, principal, sourceName, withFlag } from "./audit-flags.js";
import type { AuditJob } from "./audit-plan.js";

/**
 * Offline audits: the bucket and key policies and settings come from the files the flags name.
 * @see https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html
 */

const NO_S3_BUCKET = "--bucket: name the bucket (or give s3://BUCKET/ to read it live)";
const NO_GCS_BUCKET = "--bucket: name the GCS bucket whose --iam-policy this is";
const NO_POLICY = "--policy: give the bucket policy file to audit offline";
const NO_IAM_POLICY = "--iam-policy: give the bucket's IAM policy file to audit offline";
const OWNERSHIP_PATH = "--ownership OwnershipControls.Rules[0].ObjectOwnership";

/**
 * Plans an offline S3 audit from `--bucket`, `--policy` and the settings flags.
 * @param args - parsed flags
 * @param readFile - reads the file a flag names
 * @returns the job, with every file parsed
 * @throws NimbleError E_USAGE, E_INPUT or E_JSON naming the flag
 */
export async function s3OfflineJob(
  args: Record<string, unknown>,
  readFile: ReadFlagFile,
  target?: Target,
): Promise<AuditJob> {
  const bucket = target?.bucket ?? flagBucket(args, NO_S3_BUCKET, checkS3BucketName);
  sameBucket(args, target);
  const policyText = await readFile("policy");
  if (policyText === undefined) throw new NimbleError("E_USAGE", NO_POLICY, "--policy");

  const use = useOf(args);
  const input: S3AuditInput = {
    use,
    bucket,
    ...prefixes(args, use, target?.prefix),
    ...principal(args),
    bucketPolicy: sourced(policyText, args.policy as string, "--policy"),
    ...(await settings(args, readFile)),
  };
  return { kind: "s3-offline", input };
}

type Settings = Pick<
  S3AuditInput,
  "keyPolicy" | "encryption" | "keyMetadata" | "ownership" | "objectLockEnabled" | "requesterPays"
>;

async function settings(args: Record<string, unknown>, readFile: ReadFlagFile): Promise<Settings> {
  const keyPolicy = await readFile("key-policy");
  const encryption = await readFile("encryption");
  const metadata = await readFile("key-metadata");
  const path = (flag: string) => args[flag] as string;

  return {
    ...(keyPolicy !== undefined && {
      keyPolicy: sourced(keyPolicy, path("key-policy"), "--key-policy"),
    }),
    ...(encryption !== undefined && {
      encryption: withFlag("--encryption", () =>
        parseEncryptionText(encryption, sourceName(path("encryption"))),
      ),
    }),
    ...(metadata !== undefined && {
      keyMetadata: withFlag("--key-metadata", () =>
        parseKeyMetadataText(metadata, sourceName(path("key-metadata"))),
      ),
    }),
    ...(typeof args.ownership === "string" && {
      ownership: await ownershipOf(args.ownership, readFile),
    }),
    ...(args["object-lock"] === true && { objectLockEnabled: true }),
    ...(args["requester-pays"] === true && { requesterPays: true }),
  };
}

/** `--ownership VALUE`, or a file of GetBucketOwnershipControls output when it ends in .json. */
async function ownershipOf(value: string, readFile: ReadFlagFile): Promise<string> {
  if (!value.endsWith(".json")) return checkOwnership(value);

  const json = jsonOf(await readFile("ownership"), "--ownership") as {
    OwnershipControls?: { Rules?: { ObjectOwnership?: unknown }[] };
  } | null;
  const rule = json?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  return checkOwnership(typeof rule === "string" ? rule : "", OWNERSHIP_PATH);
}

function sourced(text: string, path: string, flag: string) {
  const source = sourceName(path);
  // A key given twice would otherwise keep its last value silently (a Deny could read as Allow).
  const document = withFlag(flag, () => parsePolicyText(text, source, { uniqueKeys: true }));
  return { document, source };
}

/**
 * Plans an offline GCS audit from `--bucket`, `--iam-policy` and `--bucket-metadata`.
 * @param args - parsed flags
 * @param readFile - reads the file a flag names
 * @returns the job
 * @throws NimbleError E_USAGE, E_INPUT or E_JSON naming the flag
 */
export async function gcsOfflineJob(
  args: Record<string, unknown>,
  readFile: ReadFlagFile,
  target?: Target,
): Promise<AuditJob> {
  const bucket = target?.bucket ?? flagBucket(args, NO_GCS_BUCKET, checkGcsBucketName);
  sameBucket(args, target);
  const policyText = await readFile("iam-policy");
  if (policyText === undefined) throw new NimbleError("E_USAGE", NO_IAM_POLICY, "--iam-policy");
  const path = args["iam-policy"] as string;
  const iamPolicy = withFlag("--iam-policy", () =>
    parseGcsIamPolicy(jsonOf(policyText, "--iam-policy"), sourceName(path)),
  );
  const metadataText = await readFile("bucket-metadata");

  const input: ParsedGcsAuditInput = {
    bucket,
    prefix:
      typeof args.prefix === "string"
        ? normalizePrefix(args.prefix, "--prefix")
        : (target?.prefix ?? ""),
    iamPolicy,
    ...(metadataText !== undefined && {
      metadata: parsedMetadata(metadataText, args["bucket-metadata"] as string),
      metadataSource: sourceName(args["bucket-metadata"] as string),
    }),
    ...member(args),
    source: path,
  };
  return { kind: "gcs-offline", input };
}

/** The metadata JSON, parsed at the edge into the shape the audit reads. */
function parsedMetadata(text: string, path: string): GcsBucketMetadata {
  const json = jsonOf(text, "--bucket-metadata");
  return withFlag("--bucket-metadata", () => parseGcsMetadata(json, sourceName(path)));
}

function flagBucket(
  args: Record<string, unknown>,
  missing: string,
  check: (name: string, field: string) => string,
): string {
  if (typeof args.bucket !== "string") throw new NimbleError("E_USAGE", missing, "--bucket");
  return check(args.bucket, "--bucket");
}

/** A target URL names the bucket; a --bucket next to it must name the same one. */
function sameBucket(args: Record<string, unknown>, target: Target | undefined): void {
  if (!target || args.bucket === undefined || args.bucket === target.bucket) return;
  throw inputError("--bucket", `names another bucket than the target ${target.url}`);
}
