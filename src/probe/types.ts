/**
 * What a Test Connection probe reports: Nimble's documented result chips.
 * @see ../shared/nimble/facts.md section 3
 */

/** The closed set of probe outcomes, one per chip. */
export type ProbeStatus =
  "ok" | "ok-prefix-empty" | "access-denied" | "bucket-not-found" | "connection-failed";

/** Read probes the input path, write the output path. */
export type ProbeMode = "read" | "write";

/** The chip text Nimble shows for each status. */
export const CHIPS: Readonly<Record<ProbeStatus, string>> = {
  ok: "✓ Connection OK",
  "ok-prefix-empty": "✓ Connection OK - prefix is empty",
  "access-denied": "✗ Access denied",
  "bucket-not-found": "✗ Bucket does not exist",
  "connection-failed": "✗ Connection failed",
};

/** One request the probe sent and how it ended. */
export interface ProbeOperation {
  /** API operation, e.g. HeadBucket, ListObjectsV2, PutObject, objects.insert */
  name: string;
  /** HTTP status, when a response arrived */
  httpStatus?: number;
  ok: boolean;
}

/** The outcome of one probe of one target. */
export interface ProbeResult {
  /** The connection's `name:` from a `--config` file, when it has one */
  name?: string;
  /** s3://bucket/prefix/ or gs://bucket/prefix/ */
  target: string;
  mode: ProbeMode;
  status: ProbeStatus;
  chip: string;
  /** One line: the precise cause and what to fix. Never contains a secret. */
  detail: string;
  operations: ProbeOperation[];
}

/** True for the two passing statuses. */
export function isOk(status: ProbeStatus): boolean {
  return status === "ok" || status === "ok-prefix-empty";
}
