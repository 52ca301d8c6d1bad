import type { Use } from "../../nimble.js";
import type { EvalRequest, Evaluation } from "../../policy/eval/types.js";
import type { PolicyDocument } from "../../policy/types.js";
import type { FindingLocation } from "../types.js";

/**
 * What every S3/KMS check reads: the bucket's settings, its policies and the evaluator's
 * decisions for the requests Nimble makes. Checks are pure functions of this context.
 */

/** A policy document and where it came from (file name, or `bucket policy of B` live). */
export interface SourcedPolicy {
  document: PolicyDocument;
  source: string;
}

/** The bucket's default encryption, as GetBucketEncryption's ApplyServerSideEncryptionByDefault. */
export interface DefaultEncryption {
  SSEAlgorithm?: string;
  KMSMasterKeyID?: string;
}

/** The fields of KMS DescribeKey's KeyMetadata the checks read (plus an alias when known). */
export interface KeyMetadata {
  KeyId?: string;
  Arn?: string;
  /** `AWS` for AWS managed keys, `CUSTOMER` for customer managed keys */
  KeyManager?: string;
  Alias?: string;
}

/** One request Nimble makes, with the evaluator's decision. */
export interface EvaluatedOperation {
  /** Label such as `HeadBucket` or `GetObject(input/*)` */
  operation: string;
  request: EvalRequest;
  evaluation: Evaluation;
  /** The Test Connection modes whose chip this request decides */
  testConnection?: readonly ("read" | "write")[];
  /** For an object operation on an SSE-KMS bucket: the key-policy decision it also needs */
  kms?: EvaluatedOperation;
}

/** The input of every check. */
export interface CheckContext {
  use: Use;
  bucket: string;
  /** arn:aws:s3:::BUCKET */
  bucketArn: string;
  /** Nimble's principal ARN for this use */
  principal: string;
  /** "" or "x/" */
  inputPrefix: string;
  /** "" or "x/" */
  outputPrefix: string;
  bucketPolicy?: SourcedPolicy;
  keyPolicy?: SourcedPolicy;
  keyMetadata?: KeyMetadata;
  encryption?: DefaultEncryption;
  /** BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter */
  ownership?: string;
  objectLockEnabled?: boolean;
  requesterPays?: boolean;
  /** Bucket-policy decisions for Nimble's S3 requests */
  operations: readonly EvaluatedOperation[];
  /** Key-policy decisions for Nimble's KMS requests (empty without a key policy) */
  kmsOperations: readonly EvaluatedOperation[];
  /** The policy evaluator, injected so checks stay pure */
  evaluate: (policy: PolicyDocument, request: EvalRequest) => Evaluation;
}

/** A finding as a check emits it; the registry adds the severity. */
export interface RawFinding {
  id: string;
  message: string;
  location?: FindingLocation;
  /** This finding's own fix line, when the registry's generic one does not fit its case */
  fix?: string;
}

/** One check: a name for "could not evaluate" findings and a pure function. */
export interface Check {
  name: string;
  run: (context: CheckContext) => RawFinding[];
}
