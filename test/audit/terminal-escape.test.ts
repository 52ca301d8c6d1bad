import { describe, expect, it } from "vitest";
import type { BucketAudit } from "../../src/audit/types.js";
import { renderAuditText } from "../../src/report/audit-text.js";
import { runCli } from "./cli-support.js";

/**
 * `--format text` shows outside text (a policy's Sid, a server's error message, an IAM member, a
 * connection's name) with its control characters escaped: an ESC sequence could otherwise clear
 * the screen, set the window title or recolour the report, and a line break could forge a line.
 * @see https://invisible-island.net/xterm/ctlseqs/ctlseqs.html
 */

/** C0 controls other than the report's own line breaks, and DEL. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

const HOSTILE = "\u001b[2J\u001b]0;owned\u0007\nWARNING forged line";

describe("the text report escapes control characters in outside text", () => {
  it("a policy Sid with ESC sequences and a line break (offline --policy)", async () => {
    const result = await runCli([
      "audit",
      "--bucket",
      "acme-data-exchange",
      "--policy",
      "test/audit/fixtures/escape-sid.bucket-policy.json",
    ]);

    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain("(Sid Deny\\u001b[2J\\u001b]0;owned\\u0007\\u000aWARNING");
    expect(result.stdout.split("\n").some((l) => l.startsWith("WARNING forged"))).toBe(false);
  });

  it.each([
    { field: "a finding message (a server's error)", audit: { findings: [finding(HOSTILE)] } },
    { field: "a connection name", audit: { name: HOSTILE } },
    {
      field: "a GCS member in a finding location",
      audit: { findings: [{ ...finding("m"), location: { source: "p.json", role: HOSTILE } }] },
    },
    {
      field: "an operation's resource and depends-on keys",
      audit: {
        operations: [
          {
            action: "s3:GetObject",
            resource: `arn:aws:s3:::b/${HOSTILE}`,
            decision: "depends" as const,
            dependsOn: [HOSTILE],
            statements: [],
          },
        ],
      },
    },
    { field: "a chip note", audit: { chipNotes: { write: HOSTILE } } },
  ])("$field", ({ audit }) => {
    const text = renderAuditText([{ ...BASE, ...audit }], {});

    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain("\\u001b[2J");
    expect(text.split("\n").some((line) => line.startsWith("WARNING forged"))).toBe(false);
  });
});

const BASE: BucketAudit = {
  bucket: "acme-data-exchange",
  provider: "s3",
  use: "jobs",
  operations: [],
  findings: [],
  predictedChips: { read: "ok", write: "access-denied" },
};

function finding(message: string): BucketAudit["findings"][number] {
  return { id: "AUDIT-COULD-NOT-READ", severity: "warning", message };
}
