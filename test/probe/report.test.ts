import { describe, expect, it } from "vitest";
import type { ProbeResult } from "../../src/probe/types.js";
import { renderProbeReport } from "../../src/report/probe-report.js";

const ok: ProbeResult = {
  target: "s3://example-bucket/input/",
  mode: "read",
  status: "ok-prefix-empty",
  chip: "✓ Connection OK - prefix is empty",
  detail: "no object under s3://example-bucket/input/ yet; upload the first input file",
  operations: [
    { name: "HeadBucket", httpStatus: 200, ok: true },
    { name: "ListObjectsV2", httpStatus: 200, ok: true },
  ],
};
const denied: ProbeResult = {
  target: "s3://example-bucket/out|put/",
  mode: "write",
  status: "access-denied",
  chip: "✗ Access denied",
  detail: "PutObject was denied <403> for AKIAIOSFODNN7EXAMPLE & co",
  operations: [
    { name: "HeadBucket", httpStatus: 200, ok: true },
    { name: "PutObject", httpStatus: 403, ok: false },
  ],
};

describe("renderProbeReport", () => {
  it("gives JSON with the documented fields and no access key id", async () => {
    const json = JSON.parse(await renderProbeReport([ok, denied], "json")) as {
      results: Record<string, unknown>[];
    };

    expect(Object.keys(json.results[0] ?? {})).toEqual([
      "target",
      "mode",
      "status",
      "chip",
      "detail",
      "operations",
    ]);
    expect(json.results[1]?.detail).toBe("PutObject was denied <403> for [redacted] & co");
    expect(json.results[1]?.operations).toEqual(denied.operations);
  });

  it.each([
    ["colours the chips green and red on a terminal", true, ["\u001b[32m✓", "\u001b[31m✗"]],
    ["prints plain chips without a terminal or with NO_COLOR", false, []],
  ])("%s", async (_what, color, codes) => {
    const text = await renderProbeReport([ok, denied], "text", { color });

    for (const code of codes) expect(text).toContain(code);
    if (!color) expect(text).not.toContain("\u001b[");
    expect(text).toMatch(/2 probe\(s\): 1 OK, 1 failed\n$/);
  });

  it("writes one JUnit test case per probe, escaping XML", async () => {
    const xml = await renderProbeReport([ok, denied], "junit");

    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('<testsuites name="nimble-bucket probe" tests="2" failures="1">');
    expect(xml).toContain(
      '<failure type="access-denied" message="✗ Access denied">PutObject was denied &lt;403&gt; for [redacted] &amp; co</failure>',
    );
  });

  it("writes a Markdown table whose cells escape pipes", async () => {
    const markdown = await renderProbeReport([ok, denied], "markdown");

    expect(markdown).toContain("| ✗ Access denied | write | s3://example-bucket/out\\|put/ |");
    expect(markdown).toContain("**2 probe(s): 1 OK, 1 failed**");
  });

  describe("a connection's name from --config", () => {
    const named: ProbeResult = { ...denied, name: "nightly | <crawl>" };

    it.each([
      [
        "text, next to the target",
        "text",
        "write  s3://example-bucket/out|put/ (nightly | <crawl>)\n",
      ],
      [
        "JUnit, in the test-case name",
        "junit",
        'name="s3://example-bucket/out|put/ (nightly | &lt;crawl&gt;)"',
      ],
      [
        "Markdown, in the target cell",
        "markdown",
        "| write | s3://example-bucket/out\\|put/ (nightly \\| &lt;crawl&gt;) |",
      ],
      ["JSON, as an optional name field", "json", '"name": "nightly | <crawl>",'],
    ] as const)("shows it in %s", async (_what, format, expected) => {
      const report = await renderProbeReport([ok, named], format);

      expect(report).toContain(expected);
    });

    it("leaves the name out of JSON when the connection has none", async () => {
      const json = JSON.parse(await renderProbeReport([ok], "json")) as { results: object[] };

      expect(Object.keys(json.results[0] ?? {})).not.toContain("name");
    });
  });
});
