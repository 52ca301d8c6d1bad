import { resolveScope } from "../nimble.js";
import type { NimbleScope, Use } from "../nimble.js";
import { evaluatePolicy } from "../policy/eval/evaluate.js";
import { nimbleKmsRequests, nimbleRequests } from "../policy/eval/nimble-requests.js";
import type { NimbleRequest } from "../policy/eval/nimble-requests.js";
import type { Decision } from "../policy/eval/types.js";
import type { PolicyDocument } from "../policy/types.js";
import { CHIPS } from "../probe/types.js";
import type { ProbeStatus } from "../probe/types.js";
import { S3_CHECK_FUNCTIONS } from "./checks/index.js";
import { isAwsManagedKey, usesKms } from "./checks/kms.js";
import type { Check, CheckContext, RawFinding } from "./checks/index.js";
import type {
  DefaultEncryption,
  EvaluatedOperation,
  KeyMetadata,
  SourcedPolicy,
} from "./checks/types.js";
import { runGuarded, severityOf } from "./run-checks.js";
import type { BucketAudit, Finding, OperationVerdict } from "./types.js";

/**
 * Audits one S3 bucket for Nimble: evaluates each request Nimble makes against the bucket and
 * key policies, runs every check, and predicts the Test Connection chips. Pure: the caller reads
 * the inputs (files or live) and renders the result.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Everything known about one bucket, from files or read live. */
export interface S3AuditInput extends NimbleScope {
  /** The bucket policy; undefined when it could not be read (no operations are evaluated) */
  bucketPolicy?: SourcedPolicy;
  keyPolicy?: SourcedPolicy;
  keyMetadata?: KeyMetadata;
  encryption?: DefaultEncryption;
  ownership?: string;
  objectLockEnabled?: boolean;
  requesterPays?: boolean;
  /** True when a live read found no such bucket */
  bucketMissing?: boolean;
  /** Findings the reader produced, e.g. AUDIT-COULD-NOT-READ */
  readFindings?: Finding[];
  /** True when a live audit could read nothing at all (every read failed) */
  nothingRead?: boolean;
  /** True when a live audit could not read the key policy (kms:GetKeyPolicy failed) */
  keyPolicyReadFailed?: boolean;
}

/** The KMS action an S3 object operation needs on an SSE-KMS bucket. */
const KMS_NEEDS: Readonly<Record<string, string>> = {
  "s3:getobject": "kms:decrypt",
  "s3:putobject": "kms:generatedatakey",
};

/**
 * @param input - the bucket's policies and settings
 * @param checks - the checks to run; @default every S3/KMS check
 * @returns the audit of the bucket
 */
export function auditS3(
  input: S3AuditInput,
  checks: readonly Check[] = S3_CHECK_FUNCTIONS,
): BucketAudit {
  const context = checkContext(input);
  const findings = [...(input.readFindings ?? []), ...runChecks(checks, context)];
  const chips = input.bucketMissing
    ? missingChips(input.use)
    : input.bucketPolicy
      ? predictChips(context)
      : unknownChips(input.use);
  const notes = input.bucketPolicy && !input.bucketMissing ? chipNotes(context, input, chips) : {};

  return {
    bucket: input.bucket,
    provider: "s3",
    use: input.use,
    operations: verdicts(context),
    findings,
    predictedChips: chips,
    ...(!input.bucketMissing && !input.bucketPolicy && { chipsUnknownBecause: unread(input) }),
    ...(Object.keys(notes).length > 0 && { chipNotes: notes }),
  };
}

function unread(input: S3AuditInput): string {
  return input.nothingRead
    ? `nothing could be read from s3://${input.bucket} (see AUDIT-COULD-NOT-READ)`
    : "the bucket policy could not be read";
}

/**
 * Builds the checks' context: the evaluator's decisions for Nimble's requests.
 * @param input - the bucket's policies and settings
 * @returns the context every check reads
 */
export function checkContext(input: S3AuditInput): CheckContext {
  const scope = resolveScope(input);
  const principal = scope.principal;
  const base = {
    use: input.use,
    bucket: input.bucket,
    bucketArn: `arn:aws:s3:::${input.bucket}`,
    principal,
    inputPrefix: input.use === "jobs" ? scope.inputPrefix : "",
    outputPrefix: input.use === "jobs" ? scope.outputPrefix : scope.prefix,
    bucketPolicy: input.bucketPolicy,
    keyPolicy: input.keyPolicy,
    keyMetadata: input.keyMetadata,
    encryption: input.encryption,
    ownership: input.ownership,
    objectLockEnabled: input.objectLockEnabled,
    requesterPays: input.requesterPays,
    evaluate: evaluatePolicy,
  };
  const kmsOperations = kmsEvaluations(input, principal);
  const operations = input.bucketPolicy
    ? s3Requests(input, principal).map((request) =>
        evaluated(request, input.bucketPolicy!.document, kmsOperations),
      )
    : [];
  return { ...base, operations, kmsOperations };
}

function s3Requests(input: S3AuditInput, principal: string): NimbleRequest[] {
  return nimbleRequests({
    use: input.use,
    bucket: input.bucket,
    inputPrefix: input.inputPrefix,
    outputPrefix: input.outputPrefix,
    prefix: input.prefix,
    principal,
  });
}

/**
 * The key policy's decisions, labelled with the same operations as the S3 requests (same
 * prefixes), so that `evaluated` pairs each S3 request with the KMS action it needs.
 */
function kmsEvaluations(input: S3AuditInput, principal: string): EvaluatedOperation[] {
  const keyPolicy = input.keyPolicy;
  if (!keyPolicy) return [];

  const keyArn =
    input.keyMetadata?.Arn ?? input.encryption?.KMSMasterKeyID ?? "arn:aws:kms:::key/unknown";
  const labels = {
    inputPrefix: input.inputPrefix,
    outputPrefix: input.outputPrefix,
    prefix: input.prefix,
  };
  return nimbleKmsRequests({ use: input.use, keyArn, principal, ...labels }).map((request) =>
    evaluated(request, keyPolicy.document, []),
  );
}

function evaluated(
  request: NimbleRequest,
  policy: PolicyDocument,
  kmsOperations: readonly EvaluatedOperation[],
): EvaluatedOperation {
  const { operation, testConnection, ...evalRequest } = request;
  const needs = KMS_NEEDS[request.action.toLowerCase()];
  const kms = kmsOperations.find(
    (op) => op.operation === operation && op.request.action.toLowerCase() === needs,
  );
  const evaluation = evaluatePolicy(policy, evalRequest);
  return { operation, request: evalRequest, evaluation, testConnection, kms };
}

/**
 * Runs checks; one that throws becomes an AUDIT-CHECK-FAILED finding and the rest still run.
 * @param checks - the checks
 * @param context - their input
 * @returns the findings, with severities from the registry
 */
export function runChecks(checks: readonly Check[], context: CheckContext): Finding[] {
  return checks.flatMap((check) => runCheck(check, context)).map(withSeverity);
}

function runCheck(check: Check, context: CheckContext): RawFinding[] {
  return runGuarded(
    () => check.run(context),
    (reason) => ({
      id: "AUDIT-CHECK-FAILED",
      message: `check ${check.name} could not evaluate: ${reason.split("\n")[0]}`,
      location: context.bucketPolicy ? { source: context.bucketPolicy.source } : undefined,
    }),
  );
}

function withSeverity(finding: RawFinding): Finding {
  const { id, message, location, fix } = finding;
  return {
    id,
    severity: severityOf(id),
    message,
    ...(location && { location }),
    ...(fix !== undefined && { fix }),
  };
}

/** Effective decision of an operation: both the bucket and (if any) the key policy must allow. */
export function effectiveDecision(op: EvaluatedOperation): Decision {
  const decisions = [op.evaluation.decision, op.kms?.evaluation.decision].filter(
    (d): d is Decision => d !== undefined,
  );
  for (const worst of ["explicitly-denied", "implicitly-denied", "depends"] as const) {
    if (decisions.includes(worst)) return worst;
  }
  return "allowed";
}

function verdicts(context: CheckContext): OperationVerdict[] {
  const s3 = context.operations.map((op) => verdict(op, effectiveDecision(op)));
  const kms = context.kmsOperations.map((op) => verdict(op, op.evaluation.decision));
  return [...s3, ...kms];
}

function verdict(op: EvaluatedOperation, decision: Decision): OperationVerdict {
  const decidedByKey = decision !== op.evaluation.decision && op.kms !== undefined;
  const source = decidedByKey ? op.kms!.evaluation : op.evaluation;
  return {
    operation: op.operation,
    action: op.request.action,
    resource: op.request.resource,
    decision,
    dependsOn: decision === "depends" ? source.dependsOn : [],
    statements: source.statements,
  };
}

/**
 * Predicts Test Connection's chips from the decisions for its own requests (those marked
 * `testConnection`: HeadBucket, then ListObjectsV2 and HeadObject of the listed key for read, or
 * PutObject of the test object for write), the key policy included. HeadObject runs only when
 * the prefix holds an object: the read prediction assumes it does. Delivery has no documented Test Connection: its chip is
 * predicted from the delivery probe's steps (GetBucketLocation, PutObject of the test object,
 * with no encryption or ACL header). Offline the audit cannot see whether the
 * prefix holds objects, so a passing prediction is `ok`, meaning "permissions correct" (the real
 * chip may be ok-prefix-empty).
 * @param context - the evaluated context
 * @returns the chips, `unknown` when a step depends on values that cannot be known
 */
export function predictChips(context: CheckContext): BucketAudit["predictedChips"] {
  const chip = (m: "read" | "write") =>
    worstChip(
      chipOf(context.operations.filter((op) => op.testConnection?.includes(m) === true)),
      settingsChip(context, m),
    );
  if (context.use === "delivery") return { write: chip("write") };
  return { read: chip("read"), write: chip("write") };
}

type Chip = ProbeStatus | "unknown";

/**
 * What the bucket's settings alone make of a chip, beyond the policies' decisions.
 * - Requester Pays: S3 answers 403 to a request without `x-amz-request-payer` (HEAD, GET and
 *   PUT alike), and the probe, like Nimble, does not send it: every chip is Access denied.
 * - SSE-KMS under the AWS managed key aws/s3 (named, or no KMSMasterKeyID): its key policy allows
 *   only the bucket's own account, so the test upload is refused (the read steps use no key).
 * - A customer managed key whose policy was not audited, or named by id or alias (resolved in
 *   the requester's account): the upload may or may not be allowed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
function settingsChip(context: CheckContext, mode: "read" | "write"): Chip | undefined {
  if (context.requesterPays === true) return "access-denied";
  if (mode === "read" || !usesKms(context)) return undefined;

  const keyId = context.encryption?.KMSMasterKeyID;
  if (isAwsManagedKey(context) || !keyId) return "access-denied";
  return !context.keyPolicy || !keyId.startsWith("arn:") ? "unknown" : undefined;
}

/**
 * Notes on chips whose status alone would mislead:
 * - read `access-denied` when only HeadObject is refused: Test Connection HEADs a key it listed,
 *   so that step runs only when the prefix holds an object; an empty prefix shows OK.
 * - write `unknown` because of the key: its policy was not given (or could not be read live), or
 *   KMSMasterKeyID is not a full ARN.
 * @param context - the evaluated context
 * @param input - the audit input (whether a live read of the key policy failed)
 * @param chips - the predicted chips
 * @returns a note per chip that needs one
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 */
export function chipNotes(
  context: CheckContext,
  input: Pick<S3AuditInput, "keyPolicyReadFailed">,
  chips: BucketAudit["predictedChips"],
): NonNullable<BucketAudit["chipNotes"]> {
  const read = chips.read === "access-denied" ? headObjectNote(context) : undefined;
  const write = chips.write === "unknown" ? keyNote(context, input) : undefined;
  return { ...(read && { read }), ...(write && { write }) };
}

function steps(context: CheckContext, mode: "read" | "write"): EvaluatedOperation[] {
  return context.operations.filter((op) => op.testConnection?.includes(mode) === true);
}

function headObjectNote(context: CheckContext): string | undefined {
  if (context.requesterPays === true) return undefined;
  const refused = steps(context, "read").filter((op) => chipOf([op]) === "access-denied");
  if (refused.length === 0 || !refused.every((op) => op.operation.startsWith("HeadObject(")))
    return undefined;

  return (
    "HeadObject of a listed object is denied, a step that runs only when the prefix holds " +
    `an object; with an empty prefix the chip is ${CHIPS["ok-prefix-empty"]}`
  );
}

function keyNote(
  context: CheckContext,
  input: Pick<S3AuditInput, "keyPolicyReadFailed">,
): string | undefined {
  const keyId = context.encryption?.KMSMasterKeyID;
  if (!usesKms(context) || isAwsManagedKey(context) || !keyId) return undefined;

  const reason = !context.keyPolicy
    ? input.keyPolicyReadFailed
      ? `the policy of key ${keyId} could not be read (see AUDIT-COULD-NOT-READ)`
      : `the policy of key ${keyId} was not given: pass --key-policy FILE`
    : !keyId.startsWith("arn:")
      ? `KMSMasterKeyID ${keyId} is not a full key ARN (see KMS-KEY-ID-NOT-ARN)`
      : undefined;
  if (reason === undefined) return undefined;
  const policies = chipOf(steps(context, "write"));
  return policies === "unknown"
    ? `depends on values this audit cannot know, and ${reason}`
    : reason;
}

const CHIP_RANK: readonly Chip[] = ["access-denied", "unknown"];

function worstChip(chip: Chip, setting: Chip | undefined): Chip {
  if (setting === undefined) return chip;
  return CHIP_RANK.find((worst) => chip === worst || setting === worst) ?? chip;
}

function chipOf(steps: EvaluatedOperation[]): Chip {
  if (steps.length === 0) return "unknown";

  const decisions = steps.map(effectiveDecision);
  if (decisions.some((d) => d === "explicitly-denied" || d === "implicitly-denied"))
    return "access-denied";
  return decisions.includes("depends") ? "unknown" : "ok";
}

function missingChips(use: Use): BucketAudit["predictedChips"] {
  const chip = "bucket-not-found" as const;
  return use === "delivery" ? { write: chip } : { read: chip, write: chip };
}

function unknownChips(use: Use): BucketAudit["predictedChips"] {
  return use === "delivery" ? { write: "unknown" } : { read: "unknown", write: "unknown" };
}
