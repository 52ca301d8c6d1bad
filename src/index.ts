/**
 * nimble-bucket's library API. Every function returns data; nothing here prints or exits.
 */
export { NimbleError } from "./errors.js";
export type { ErrorCode } from "./errors.js";
export * from "./nimble.js";
export {
  checkS3BucketName,
  checkGcsBucketName,
  normalizePrefix,
  checkAwsPrincipal,
  checkGcsMember,
} from "./policy/names.js";
export { assertNoDeleteRights, assertNoDeleteRoles } from "./policy/guard.js";
export type { PolicyDocument, Statement } from "./policy/types.js";
export type { ProbeResult, ProbeStatus, ProbeMode, ProbeOperation } from "./probe/types.js";
export { CHIPS } from "./probe/types.js";
export type { Decision, EvalRequest, Evaluation, StatementRef } from "./policy/eval/types.js";
export type { BucketAudit, Finding, Severity, OperationVerdict } from "./audit/types.js";
export { evaluatePolicy } from "./policy/eval/evaluate.js";
export { nimbleRequests, nimbleKmsRequests } from "./policy/eval/nimble-requests.js";
export type {
  NimbleRequest,
  NimbleRequestOptions,
  NimbleKmsRequestOptions,
} from "./policy/eval/nimble-requests.js";
export {
  s3PolicyStatements,
  s3BucketPolicy,
  s3OwnedSids,
  DELIVERY_LOCATION_SID,
} from "./policy/generate/s3.js";
export type { S3PolicyOptions } from "./policy/generate/s3.js";
export {
  kmsKeyStatements,
  kmsKeyPolicy,
  kmsOwnedSids,
  checkAccount,
  KMS_JOBS_SID,
  KMS_OWNER_SID,
} from "./policy/generate/kms.js";
export type { KmsPolicyOptions, KmsKeyManager } from "./policy/generate/kms.js";
export { gcsBindings, GCS_DELIVERY_ROLE } from "./policy/generate/gcs.js";
export type { GcsBindingsOptions } from "./policy/generate/gcs.js";
export type { GcsBinding } from "./policy/guard.js";
export { renderS3Policy, renderGcsBindings, gcsPolicyFragment } from "./policy/generate/formats.js";
export type { S3Format, GcsFormat } from "./policy/generate/formats.js";
export { mergePolicy, assertPolicySize, policySize, POLICY_SIZE_LIMITS } from "./policy/merge.js";
export type { MergeOptions, MergeResult, PolicyKind } from "./policy/merge.js";
export { assertMergedNoDeleteRights } from "./policy/guard-merged.js";
export type { DeleteCheckScope } from "./policy/guard-merged.js";
export { writeFileAtomic } from "./policy/write.js";
export { escapeIamLiteral } from "./policy/escape.js";
export { probeGcs } from "./gcs/probe.js";
export type { GcsProbeOptions } from "./gcs/probe.js";
export { auditGcs, readGcsAuditInput } from "./gcs/audit.js";
export type { GcsAuditInput } from "./gcs/audit.js";
export { GCS_CHECKS } from "./gcs/checks.js";
export { STORAGE_ROLES, ROLES_SOURCE } from "./gcs/roles.js";
export { probeS3, createProbeClient } from "./probe/s3.js";
export type { S3ProbeOptions } from "./probe/s3.js";
export { runProbes } from "./probe/run.js";
export type { ProbeSpec, RunOptions, Prober } from "./probe/run.js";
export { parseTarget } from "./probe/target.js";
export type { Target } from "./probe/target.js";
export { parseConnections } from "./probe/config.js";
export type { Connection } from "./probe/config.js";
export { classifyS3Error } from "./probe/classify.js";
export { isOk } from "./probe/types.js";
export { renderProbeReport, PROBE_FORMATS } from "./report/probe-report.js";
export type { ProbeFormat } from "./report/probe-report.js";
export { auditS3 } from "./audit/audit-s3.js";
export type { S3AuditInput } from "./audit/audit-s3.js";
export { readS3AuditInput, readKeyPolicy } from "./audit/live-s3.js";
export type { LiveS3Options, LiveS3Target } from "./audit/live-s3.js";
export { confirmWithAws } from "./audit/confirm-aws.js";
export type { ConfirmOptions } from "./audit/confirm-aws.js";
export { S3_CHECKS, findCheck } from "./audit/registry.js";
export type { CheckInfo, FindingLocation } from "./audit/types.js";
export { renderAuditReport, AUDIT_FORMATS } from "./report/audit-report.js";
export type { AuditFormat } from "./report/audit-report.js";
