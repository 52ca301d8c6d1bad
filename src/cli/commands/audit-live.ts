import type { LiveS3Target } from "../../audit/live-s3.js";
import type { Connection } from "../../probe/config.js";
import type { Target } from "../../probe/target.js";
import { readConfigText, useOf } from "../common.js";
import type { CliIo } from "../io.js";
import { member, prefixes, principal } from "./audit-flags.js";
import type { AuditJob } from "./audit-plan.js";

/**
 * Live audits: one `s3://`/`gs://` target, or every connection of a `--config` file (as for
 * `probe`). Planning only; the reads happen when the job runs.
 */

/**
 * Plans the live audit of one target URL.
 * @param args - parsed flags (use, prefixes, principal or member)
 * @param target - the parsed `s3://` or `gs://` URL
 * @returns the job
 * @throws NimbleError E_INPUT naming a prefix or principal flag
 */
export function liveJob(args: Record<string, unknown>, target: Target): AuditJob {
  if (target.provider === "gcs") return { kind: "gcs-live", target, ...member(args) };

  const use = useOf(args);
  const s3Target: LiveS3Target = {
    use,
    bucket: target.bucket,
    ...prefixes(args, use, target.prefix),
    ...principal(args),
  };
  return { kind: "s3-live", target: s3Target };
}

/**
 * Plans a live audit of every connection of a connections file, in file order.
 * @param file - the `--config` file, or "-" for stdin
 * @param io - reads it
 * @returns one job per bucket (two when a Job reads and writes different buckets)
 * @throws NimbleError E_INPUT or E_USAGE naming --config
 */
export async function configJobs(file: string, io: CliIo): Promise<AuditJob[]> {
  const text = await readConfigText(file, io);
  const { parseConnections } = await import("../../probe/config.js");

  return parseConnections(text, file).flatMap(connectionJobs);
}

function connectionJobs(connection: Connection): AuditJob[] {
  const { read, write } = connection;
  const main = (write ?? read)!;
  const name = connection.name === undefined ? {} : { name: connection.name };
  if (main.provider === "gcs") return [{ kind: "gcs-live", target: main, ...name }];

  const job = (t: Target, input?: string, output?: string) => ({
    ...s3Job(connection, t, input, output),
    ...name,
  });
  if (read && write && read.bucket !== write.bucket)
    return [job(read, read.prefix, undefined), job(write, undefined, write.prefix)];
  return [job(main, read?.prefix, write?.prefix)];
}

function s3Job(connection: Connection, t: Target, input?: string, output?: string): AuditJob {
  const target: LiveS3Target =
    connection.for === "delivery"
      ? { use: "delivery", bucket: t.bucket, prefix: t.prefix }
      : {
          use: "jobs",
          bucket: t.bucket,
          ...(input !== undefined && { inputPrefix: input }),
          ...(output !== undefined && { outputPrefix: output }),
        };
  return { kind: "s3-live", target };
}
