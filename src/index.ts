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
