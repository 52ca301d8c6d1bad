import { describe, expect, it } from "vitest";
import { NimbleError } from "../../src/errors.js";
import { parseJsonText } from "../../src/policy/json.js";
import { parsePolicyText } from "../../src/policy/parse.js";

function errorOf(fn: () => unknown): NimbleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NimbleError) return error;
    throw error;
  }
  throw new Error("expected a NimbleError");
}

describe("parseJsonText", () => {
  it.each([
    { name: "a missing value", text: '{\n  "a": }', where: "line 2 column 8", what: "'}'" },
    { name: "a trailing comma", text: '{"a": [1, 2,]}', where: "line 1 column 13", what: "']'" },
    { name: "an unquoted key", text: "{\n\n  Version: 1}", where: "line 3 column 3", what: "'V'" },
    { name: "end of input", text: '{"a": [1', where: "line 1 column 9", what: "end of input" },
    { name: "trailing text", text: "{} x", where: "line 1 column 4", what: "'x'" },
    {
      name: "an unterminated string",
      text: '{"a": "b',
      where: "line 1 column 9",
      what: "unterminated",
    },
  ])("names the line and column of $name", ({ text, where, what }) => {
    const error = errorOf(() => parseJsonText(text, "policy.json"));

    expect(error.code).toBe("E_JSON");
    expect(error.message).toContain(`policy.json: invalid JSON at ${where}`);
    expect(error.message).toContain(what);
    expect(error.message).not.toContain("\n");
  });

  it("returns the value of valid JSON", () => {
    expect(parseJsonText('{"a": [1, "x", null]}', "f")).toEqual({ a: [1, "x", null] });
  });
});

describe("parsePolicyText", () => {
  const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };

  it("accepts a single Statement object and returns a list holding the same object", () => {
    const document = parsePolicyText(
      JSON.stringify({ Version: "2012-10-17", Statement: statement }),
      "f",
    );

    expect(document.Statement).toEqual([statement]);
  });

  it("keeps each statement's key order", () => {
    const text = '{"Statement":[{"Resource":"r","Effect":"Deny","Action":"s3:*","Sid":"S"}]}';

    expect(Object.keys(parsePolicyText(text, "f").Statement[0] ?? {})).toEqual([
      "Resource",
      "Effect",
      "Action",
      "Sid",
    ]);
  });

  it.each([
    {
      name: "a wrong Effect",
      change: { Effect: "allow" },
      path: 'Statement[1].Effect must be "Allow" or "Deny"',
    },
    {
      name: "Action with NotAction",
      change: { NotAction: "s3:*" },
      path: "Statement[1] has both Action and NotAction",
    },
    {
      name: "a misspelt element",
      change: { Actions: ["s3:GetObject"] },
      path: "Statement[1].Actions: unknown",
    },
    {
      name: "a numeric Action",
      change: { Action: 3 },
      path: "Statement[1].Action must be a string",
    },
    {
      name: "a bad Principal",
      change: { Principal: "arn:aws:iam::1:root" },
      path: "Statement[1].Principal must be",
    },
    {
      name: "a bad Condition",
      change: { Condition: { StringEquals: "x" } },
      path: "Statement[1].Condition.StringEquals",
    },
  ])("names the JSON path of $name", ({ change, path }) => {
    const text = JSON.stringify({ Statement: [statement, { ...statement, ...change }] });

    const error = errorOf(() => parsePolicyText(text, "bucket.json"));

    expect(error.code).toBe("E_INPUT");
    expect(error.message).toContain(`bucket.json: ${path}`);
  });

  it("counts the problems after the first", () => {
    const text = JSON.stringify({ Statement: [{ Effect: "x" }, { Effect: "y", Action: "a" }] });

    expect(errorOf(() => parsePolicyText(text, "f")).message).toMatch(/\(and 2 more\)$/);
  });

  it.each([
    { name: "an array", text: "[]" },
    { name: "a document without Statement", text: '{"Version": "2012-10-17"}' },
  ])("rejects $name", ({ text }) => {
    expect(errorOf(() => parsePolicyText(text, "f")).code).toBe("E_INPUT");
  });
});

describe("parseJsonText with exact", () => {
  it.each([
    {
      name: "a key given twice",
      text: '{"a": 1,\n "a": 2}',
      where: "line 2 column 2",
      what: '"a" is given twice',
    },
    {
      name: "a trailing zero",
      text: '{"n": 1.50}',
      where: "line 1 column 7",
      what: "1.50 would be rewritten as 1.5",
    },
    {
      name: "an exponent",
      text: "[1e3]",
      where: "line 1 column 2",
      what: "1e3 would be rewritten as 1000",
    },
    {
      name: "an integer beyond 2^53",
      text: "[12345678901234567890123]",
      where: "line 1 column 2",
      what: "would be rewritten",
    },
  ])("refuses $name, which JSON.parse would change silently", ({ text, where, what }) => {
    const error = errorOf(() => parseJsonText(text, "f.json", { exact: true }));

    expect(error.message).toContain(`f.json: invalid JSON at ${where}`);
    expect(error.message).toContain(what);
  });

  it("accepts numbers and keys that survive unchanged", () => {
    expect(parseJsonText('{"a": -0.5, "b": 10, "c": {"a": 1}}', "f", { exact: true })).toEqual({
      a: -0.5,
      b: 10,
      c: { a: 1 },
    });
  });

  it("ignores a byte-order mark", () => {
    expect(parseJsonText('\uFEFF{"a": 1}', "f")).toEqual({ a: 1 });
  });

  it("shows a control character as an escape", () => {
    expect(errorOf(() => parseJsonText('{"a": \u001b}', "f")).message).toContain("'\\u001b'");
  });
});

describe("policy Version and duplicate keys", () => {
  const statement = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}';

  it.each(["2012-10-17", "2008-10-17"])("accepts Version %s", (version) => {
    const text = `{"Version": "${version}", "Statement": [${statement}]}`;

    expect(parsePolicyText(text, "f").Version).toBe(version);
  });

  it.each(["2012-10-18", "latest"])("refuses Version %s", (version) => {
    const text = `{"Version": "${version}", "Statement": [${statement}]}`;

    expect(errorOf(() => parsePolicyText(text, "f")).message).toContain("f: Version must be");
  });

  it("refuses a key given twice with uniqueKeys, which would turn a Deny into an Allow", () => {
    const text =
      '{"Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}]}';

    expect(errorOf(() => parsePolicyText(text, "f", { uniqueKeys: true })).message).toContain(
      '"Effect" is given twice',
    );
  });

  it("keeps numbers as they are with uniqueKeys alone", () => {
    const text =
      '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"NumericEquals": {"k": 1.50}}}]}';

    expect(parsePolicyText(text, "f", { uniqueKeys: true }).Statement).toHaveLength(1);
  });
});
