import { describe, expect, it } from "vitest";
import { escapeIamLiteral } from "../../src/policy/escape.js";

// C04's escapes: ${*}, ${?} and ${$} stand for the literal characters in policy version
// 2012-10-17, so a prefix can never become a wildcard or inject a variable.
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
describe("escapeIamLiteral", () => {
  it.each([
    ["drop?zone/input/", "drop${?}zone/input/"],
    ["results*/output/", "results${*}/output/"],
    ["a${aws:username}/", "a${$}{aws:username}/"],
    ["plain/prefix/", "plain/prefix/"],
  ])("escapes %s as %s", (literal, escaped) => {
    expect(escapeIamLiteral(literal)).toBe(escaped);
  });
});
