import { DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { readS3AuditInput } from "../../src/audit/live-s3.js";
import { NimbleError } from "../../src/errors.js";

// The live audit only reads, but the S3 client it sends through refuses deletes like the probe's:
// the guard throws before the request is signed, so a closed loopback port is never even tried.
describe("the live audit's S3 client", () => {
  it("refuses a delete sent through it", async () => {
    const s3 = new S3Client({
      endpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
      maxAttempts: 1,
    });
    await readS3AuditInput({ use: "jobs", bucket: "example-bucket" }, { s3 });

    const sent = s3.send(new DeleteObjectCommand({ Bucket: "example-bucket", Key: "input/a" }));

    await expect(sent).rejects.toBeInstanceOf(NimbleError);
    await expect(sent).rejects.toMatchObject({ code: "E_FORBIDDEN_REQUEST" });
  });
});
