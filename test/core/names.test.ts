import { describe, expect, it } from "vitest";
import {
  checkAwsPrincipal,
  checkGcsBucketName,
  checkS3BucketName,
  normalizePrefix,
} from "../../src/policy/names.js";

// Expected values follow https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
// and https://cloud.google.com/storage/docs/buckets#naming
describe("checkS3BucketName", () => {
  it.each(["example-bucket", "my.dotted.bucket", "abc", "a".repeat(63), "1bucket9"])(
    "accepts %s",
    (name) => {
      expect(checkS3BucketName(name)).toBe(name);
    },
  );

  it.each([
    ["ab", "3 to 63"],
    ["a".repeat(64), "3 to 63"],
    ["Example", "lowercase"],
    ["under_score", "lowercase"],
    ["-bucket", "begin and end"],
    ["bucket.", "begin and end"],
    ["my..bucket", "adjacent dots"],
    ["192.168.5.4", "IP address"],
    ["xn--bucket", "reserved prefix"],
    ["sthree-bucket", "reserved prefix"],
    ["amzn-s3-demo-bucket", "reserved prefix"],
    ["bucket-s3alias", "reserved suffix"],
    ["bucket--ol-s3", "reserved suffix"],
    ["bucket.mrap", "reserved suffix"],
  ])("rejects %s (%s), naming the flag", (name, why) => {
    expect(() => checkS3BucketName(name)).toThrow(new RegExp(`^--bucket: .*${why}`));
  });
});

describe("checkGcsBucketName", () => {
  it.each(["example-gcs-bucket", "with_underscore", "a.b.c"])("accepts %s", (name) => {
    expect(checkGcsBucketName(name)).toBe(name);
  });

  it.each([
    ["goog-bucket", "goog"],
    ["my-google-bucket", "google"],
    ["my-g00gle-bucket", "google"],
    ["Upper", "lowercase"],
    ["_bucket", "begin and end"],
    ["10.0.0.1", "IP address"],
  ])("rejects %s (%s)", (name, why) => {
    expect(() => checkGcsBucketName(name, "--gcs-bucket")).toThrow(
      new RegExp(`^--gcs-bucket: .*${why}`),
    );
  });
});

describe("normalizePrefix", () => {
  it.each([
    ["input", "input/"],
    ["input/", "input/"],
    ["input///", "input/"],
    ["a/b/c", "a/b/c/"],
    ["", ""],
  ])("normalizes %j to %j", (raw, normalized) => {
    expect(normalizePrefix(raw, "--input-prefix")).toBe(normalized);
  });

  it.each([
    ["results*/output/", "wildcards"],
    ["drop?zone/", "wildcards"],
    ["${aws:username}/", "wildcards"],
    ["/input/", "start with '/'"],
    ["/", "start with '/'"],
    ["in/ ", "white space"],
    [" in/", "white space"],
    ["a/../b/", "'..'"],
    ["a/./b/", "'..'"],
    ["a//b/", "empty segments"],
    ["tab\there/", "control character"],
    ["line\nbreak/", "control character"],
  ])("rejects %j (%s), on one line naming the flag", (raw, why) => {
    expect(() => normalizePrefix(raw, "--output-prefix")).toThrow(
      new RegExp(`^--output-prefix: [^\\n]*${why.replace(/[.*?()]/g, "\\$&")}[^\\n]*$`),
    );
  });
});

describe("checkAwsPrincipal", () => {
  it.each([
    "arn:aws:iam::744254827463:user/crawlit-scrapy",
    "arn:aws:iam::111122223333:role/path/Name",
    "arn:aws:iam::111122223333:root",
  ])("accepts %s", (arn) => {
    expect(checkAwsPrincipal(arn)).toBe(arn);
  });

  it.each([
    "crawlit-scrapy",
    "arn:aws:iam::7442548274:user/x",
    "arn:aws:iam::744254827463:user/",
    "arn:aws:iam::744254827463:root/x",
    "arn:aws:iam::744254827463:user/*",
    "arn:aws:s3:::bucket",
    "*",
  ])("rejects %s", (arn) => {
    expect(() => checkAwsPrincipal(arn)).toThrow(/^--principal: /);
  });
});
