import { readFileSync } from "node:fs";
import { auditS3 } from "../../src/audit/audit-s3.js";
import type { S3AuditInput } from "../../src/audit/audit-s3.js";
import { parseEncryptionText, parseKeyMetadataText } from "../../src/audit/inputs.js";
import type { BucketAudit } from "../../src/audit/types.js";
import { parsePolicyText } from "../../src/policy/parse.js";

/** Test helpers: fixtures of test/audit/fixtures and a one-call offline audit. */

export const FIXTURES = new URL("./fixtures/", import.meta.url);

/** Path of a fixture file. */
export function fixturePath(name: string): string {
  return new URL(name, FIXTURES).pathname;
}

/** Text of a fixture file. */
export function fixture(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

/** Files of one offline audit, by fixture name. */
export interface AuditFiles {
  policy: string;
  keyPolicy?: string;
  encryption?: string;
  keyMetadata?: string;
}

/** Audits example-bucket for Jobs with the default prefixes from fixture files. */
export function auditFixture(files: AuditFiles, extra: Partial<S3AuditInput> = {}): BucketAudit {
  return auditS3({
    use: "jobs",
    bucket: "example-bucket",
    bucketPolicy: {
      document: parsePolicyText(fixture(files.policy), files.policy),
      source: files.policy,
    },
    keyPolicy: files.keyPolicy
      ? {
          document: parsePolicyText(fixture(files.keyPolicy), files.keyPolicy),
          source: files.keyPolicy,
        }
      : undefined,
    encryption: files.encryption
      ? parseEncryptionText(fixture(files.encryption), files.encryption)
      : undefined,
    keyMetadata: files.keyMetadata
      ? parseKeyMetadataText(fixture(files.keyMetadata), files.keyMetadata)
      : undefined,
    ...extra,
  });
}

/** The decision of each S3 operation (not the KMS ones), by label. */
export function s3Decisions(audit: BucketAudit): Record<string, string> {
  return Object.fromEntries(
    audit.operations
      .filter((op) => op.action.startsWith("s3:"))
      .map((op) => [op.operation ?? op.action, op.decision]),
  );
}
