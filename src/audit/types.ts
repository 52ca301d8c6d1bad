import type { Decision, StatementRef } from "../policy/eval/types.js";
import type { Use } from "../nimble.js";
import type { ProbeStatus } from "../probe/types.js";

/** How bad a finding is; `--fail-on` picks the threshold. */
export type Severity = "error" | "warning" | "info";

/** Where a finding points: a file and a JSON path within it. */
export interface FindingLocation {
  /** The policy file (offline) or a description such as `bucket policy of B` (live) */
  source: string;
  /** e.g. `Statement[2].Condition` */
  path?: string;
  statementIndex?: number;
  /** The statement's Sid (S3 and KMS policies) */
  sid?: string;
  /** The binding's role (GCS IAM policies, whose bindings have no Sid) */
  role?: string;
}

/** One problem found by one check. */
export interface Finding {
  /** Stable id, e.g. S3-LIST-ON-OBJECT-ARN */
  id: string;
  severity: Severity;
  message: string;
  location?: FindingLocation;
  /** How to fix it: the check's `fix` line, filled in by the report layer from the registry */
  fix?: string;
}

/** One operation Nimble needs and whether the customer's side allows it. */
export interface OperationVerdict {
  /** Nimble's operation label, e.g. `HeadBucket` or `GetObject(input/*)` */
  operation?: string;
  /** e.g. s3:ListBucket or storage.objects.create */
  action: string;
  /** The ARN or GCS resource name evaluated */
  resource: string;
  decision: Decision;
  dependsOn: string[];
  statements: StatementRef[];
  /** True for an operation evaluated for the findings only: Nimble does not need it, so its
   * denial does not fail the audit (GCS list, get, overwrite and multipart for delivery) */
  informational?: boolean;
}

/** The audit of one bucket. */
export interface BucketAudit {
  bucket: string;
  provider: "s3" | "gcs";
  /** The connection's `name:` in a `--config` file */
  name?: string;
  /** Which Nimble identity was audited (GCS: always delivery) */
  use?: Use;
  operations: OperationVerdict[];
  findings: Finding[];
  /** The chip Nimble's Test Connection should show, or `unknown` when it depends */
  predictedChips: { read?: ProbeStatus | "unknown"; write?: ProbeStatus | "unknown" };
  /** Why every chip is `unknown` when nothing decisive could be read (live audits) */
  chipsUnknownBecause?: string;
  /**
   * Why one chip is what it is, when its status alone would mislead: e.g. write `unknown`
   * because the key policy was not given, read `access-denied` only at HeadObject (a step that
   * runs only when the prefix holds an object)
   */
  chipNotes?: { read?: string; write?: string };
}

/** A check's fixed text, kept as data: shown in the README table and by `--explain ID`. */
export interface CheckInfo {
  /** Stable id, e.g. S3-LIST-ON-OBJECT-ARN */
  id: string;
  severity: Severity;
  /** One short line: what is wrong */
  title: string;
  /** Why it matters and how to fix it */
  explanation: string;
  /** One short line: how to fix it (shown under each finding, and by `--explain`) */
  fix?: string;
  /** The AWS or Google page that defines the behaviour */
  see?: string;
}
