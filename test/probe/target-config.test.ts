import { describe, expect, it, vi } from "vitest";
import { parseConnections } from "../../src/probe/config.js";
import { parseTarget } from "../../src/probe/target.js";

/**
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
describe("parseTarget", () => {
  it.each([
    ["s3://example-bucket/input/", "s3", "example-bucket", "input/"],
    ["s3://example-bucket/input", "s3", "example-bucket", "input/"],
    ["s3://example-bucket", "s3", "example-bucket", ""],
    ["s3://example-bucket/", "s3", "example-bucket", ""],
    ["s3://my.dotted.bucket/a/b/", "s3", "my.dotted.bucket", "a/b/"],
    ["gs://example_gcs_bucket/results/", "gcs", "example_gcs_bucket", "results/"],
  ])("parses %s", (url, provider, bucket, prefix) => {
    expect(parseTarget(url, "--read")).toMatchObject({ provider, bucket, prefix });
  });

  it.each([
    ["an http URL", "https://example-bucket.s3.amazonaws.com/input/", /not an s3:\/\/BUCKET/],
    ["an upper-case bucket", "s3://Example-Bucket/input/", /not a valid S3 bucket name/],
    ["a two-character bucket", "s3://ab/input/", /3 to 63 characters/],
    ["an underscore in an S3 bucket", "s3://example_bucket/", /lowercase letters/],
    ["a '*' in the prefix", "s3://example-bucket/in*/", /IAM wildcards/],
    ["a '$' in the prefix", "s3://example-bucket/${aws:username}/", /IAM wildcards/],
    ["a '..' segment", "s3://example-bucket/a/../b/", /'\.\.' segments/],
  ])("refuses %s, naming the flag", (_what, url, message) => {
    expect(() => parseTarget(url, "--write")).toThrow(message);
    expect(() => parseTarget(url, "--write")).toThrow(/^--write: /);
  });
});

describe("parseConnections", () => {
  it("reads YAML with defaults and per-connection overrides", () => {
    const text = [
      "defaults: { for: jobs }",
      "connections:",
      "  - name: daily crawl",
      "    read: s3://example-bucket/input/",
      "    write: s3://example-bucket/output/",
      "  - for: delivery",
      "    write: s3://example-bucket/results",
    ].join("\n");

    const connections = parseConnections(text, "probes.yaml");

    expect(connections.map((c) => [c.name, c.for, c.read?.url, c.write?.url])).toEqual([
      ["daily crawl", "jobs", "s3://example-bucket/input/", "s3://example-bucket/output/"],
      [undefined, "delivery", undefined, "s3://example-bucket/results/"],
    ]);
  });

  it("reads JSON, a subset of YAML, and defaults to jobs", () => {
    const text = JSON.stringify({ connections: [{ read: "gs://example-gcs/in/" }] });

    expect(parseConnections(text, "p.json")).toEqual([
      {
        for: "jobs",
        read: {
          provider: "gcs",
          bucket: "example-gcs",
          prefix: "in/",
          url: "gs://example-gcs/in/",
        },
        write: undefined,
      },
    ]);
  });

  const good = "s3://example-bucket/output/";
  it.each([
    [
      "a bad URL, naming its JSON path",
      { connections: [{ write: good }, { write: "s3://B/x/" }] },
      /^probes\.yaml: connections\[1\]\.write: "B" is not a valid S3 bucket name/,
    ],
    [
      "a delivery connection that reads",
      { connections: [{ for: "delivery", read: good }] },
      /^probes\.yaml: connections\[0\]\.read: delivery has no read access/,
    ],
    [
      "a connection with neither path",
      { connections: [{ name: "x" }] },
      /^probes\.yaml: connections\[0\]: needs a read or a write URL/,
    ],
    [
      "an unknown field (a typo)",
      { connections: [{ wrte: good }] },
      /^probes\.yaml: connections\[0\]\.wrte: unknown field/,
    ],
    [
      "an unknown use",
      { defaults: { for: "crawl" }, connections: [{ write: good }] },
      /^probes\.yaml: defaults\.for: must be "jobs" or "delivery"/,
    ],
    ["an empty list", { connections: [] }, /^probes\.yaml: connections: must be a non-empty list/],
    [
      "a URL that is not a string",
      { connections: [{ read: 3 }] },
      /^probes\.yaml: connections\[0\]\.read: must be an s3:\/\/ or gs:\/\/ URL string/,
    ],
  ])("refuses %s", (_what, document, message) => {
    const parse = () => parseConnections(JSON.stringify(document), "probes.yaml");

    expect(parse).toThrow(message);
    expect(parse).toThrow(expect.objectContaining({ code: "E_INPUT" }));
  });

  it("refuses broken YAML in one line", () => {
    expect(() => parseConnections("connections: [", "probes.yaml")).toThrow(
      /^probes\.yaml: not valid YAML or JSON: [^\n]+$/,
    );
  });

  it.each([
    [
      "a JS-YAML function tag on a value",
      "connections:\n  - write: !!js/function 'function () {}'\n",
      /^probes\.yaml: connections\[0\]\.write: unsupported YAML tag !!js\/function; /,
    ],
    [
      "a local tag on a list item",
      "connections:\n  - name: a\n    read: s3://b-1/in/\n  - !conn { write: s3://b-1/o/ }\n",
      /^probes\.yaml: connections\[1\]: unsupported YAML tag !conn; /,
    ],
    [
      "a YAML 1.1 tag on the top level",
      "!!set { connections }\n",
      /^probes\.yaml: \(top level\): unsupported YAML tag !!set; /,
    ],
  ])("refuses %s in one line, and the yaml package prints nothing", (_what, text, message) => {
    const stderr = vi.spyOn(process.stderr, "write");
    const warn = vi.spyOn(console, "warn");
    const emit = vi.spyOn(process, "emitWarning");

    expect(() => parseConnections(text, "probes.yaml")).toThrow(message);
    expect(() => parseConnections(text, "probes.yaml")).toThrow(
      expect.objectContaining({ code: "E_INPUT" }),
    );
    expect([stderr.mock.calls, warn.mock.calls, emit.mock.calls]).toEqual([[], [], []]);
    vi.restoreAllMocks();
  });

  it("accepts the core schema's own tags", () => {
    const text = "connections:\n  - name: !!str 2024\n    write: !!str s3://b-1/out/\n";

    expect(parseConnections(text, "probes.yaml")).toMatchObject([{ name: "2024" }]);
  });
});
