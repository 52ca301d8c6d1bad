import { describe, expect, it } from "vitest";
import { markdownCell, xmlEscape } from "../../src/report/escape.js";
import { redact } from "../../src/report/redact.js";

const env = {
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLE1234567890",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "FwoGZXIvYXdzEJr//////////wEaDExampleSessionToken+abc=",
};

describe("redact", () => {
  it.each([
    [
      "an access key id a server echoes",
      "The AWS Access Key Id you provided (AKIAEXAMPLE1234567890)",
    ],
    ["another key id", "key ASIAIOSFODNN7EXAMPLE rejected"],
    ["the secret key", `secret ${env.AWS_SECRET_ACCESS_KEY}`],
    ["the secret key, URL-encoded", `s=${encodeURIComponent(env.AWS_SECRET_ACCESS_KEY)}`],
    ["the session token, base64", Buffer.from(env.AWS_SESSION_TOKEN).toString("base64")],
    [
      "a SigV4 signature",
      "signature 5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    ],
    ["an upper-case signature", "5D672D79C15B13162D9279B0855CFBA6789A8EDB4C82C400E06B5924A6F2B5D7"],
    [
      "a lower-case credential parameter",
      "credential=AKIDEXAMPLE/20261204/us-east-1/s3/aws4_request",
    ],
    ["a bearer token", "Authorization: Bearer abc.def-ghi"],
    ["a Google access token", "token ya29.a0AfH6SMBexample"],
    ["a password in a URL", "request to http://admin:hunter2pass@127.0.0.1:1/upload failed"],
  ])("removes %s", (_name, text) => {
    const result = redact(text, env);

    expect(result).toContain("[redacted]");
    for (const secret of [
      ...Object.values(env),
      "5d672d79c15b",
      "AKIDEXAMPLE",
      "abc.def",
      "ya29.",
    ]) {
      expect(result.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });

  it("leaves ordinary messages alone", () => {
    const text = "HeadBucket was denied (403): ExpiredToken: the provided token has expired";

    expect(redact(text, env)).toBe(text);
  });
});

describe("xmlEscape", () => {
  it("writes characters XML 1.0 cannot carry as escapes, and escapes markup", () => {
    expect(xmlEscape("a\u0000b\u001b<c>&\"'\td")).toBe(
      "a\\u0000b\\u001b&lt;c&gt;&amp;&quot;&apos;\td",
    );
  });
});

describe("markdownCell", () => {
  it("escapes pipes, joins lines and shows control characters", () => {
    expect(markdownCell("a|b\nc\u001b[31m")).toBe("a\\|b c\\u001b[31m");
  });

  it("keeps HTML out of a job summary", () => {
    expect(markdownCell("<crawl> & co")).toBe("&lt;crawl&gt; &amp; co");
  });
});
