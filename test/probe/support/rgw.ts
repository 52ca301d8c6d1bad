import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import type { PolicyDocument } from "../../../src/policy/types.js";
import { RGW_USERS, rgwEndpoint } from "../../support/servers.js";

/** Users of the test RGW; `jobs` and `delivery` live in Nimble's tenant 744254827463. */
export type RgwUser = keyof typeof RGW_USERS;

/**
 * An S3 client for an RGW test user. TEST-ONLY: for the tenanted users it rewrites every bucket
 * name `b` to `:b`, which is how RGW lets a user of tenant 744254827463 address the owner's
 * untenanted bucket; against AWS the name is used as it is.
 */
export function rgwClient(user: RgwUser, endpoint = rgwEndpoint()): S3Client {
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: RGW_USERS[user],
    maxAttempts: 1,
  });
  if (user === "jobs" || user === "delivery") {
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Bucket?: string };
        if (input.Bucket && !input.Bucket.startsWith(":")) input.Bucket = `:${input.Bucket}`;
        return next(args);
      },
      { step: "initialize", name: "testOnlyTenantBucket", priority: "high" },
    );
  }
  return client;
}

/** A bucket name no other test file uses: RGW state is shared by every file in a run. */
export function uniqueBucket(label: string): string {
  return `nb-probe-${label}-${randomBytes(3).toString("hex")}`;
}

/** Creates a bucket as the owner, applies a policy and uploads objects. */
export async function ownerBucket(
  bucket: string,
  setup: { policy?: PolicyDocument; objects?: string[] } = {},
): Promise<void> {
  const owner = rgwClient("owner");
  await owner.send(new CreateBucketCommand({ Bucket: bucket }));
  if (setup.policy) {
    const Policy = JSON.stringify(setup.policy);
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
  }
  for (const Key of setup.objects ?? []) {
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "id\n1\n" }));
  }
  owner.destroy();
}
