import type { S3Client } from "@aws-sdk/client-s3";
import { assertNotDeleteRequest } from "../policy/guard.js";

/** Name of the middleware that refuses delete commands. */
export const NO_DELETE_MIDDLEWARE = "nimbleNoDelete";

const guarded = new WeakSet<S3Client>();

/**
 * Installs, once per client, an initialize-step middleware that throws before any Delete*
 * command (DeleteObject, DeleteObjects, DeleteBucket…) is serialized, signed or sent.
 * @param client - the S3 client the probe sends through
 * @returns the same client
 * @throws NimbleError E_FORBIDDEN_REQUEST from `send` when a delete command is sent
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/introduction/#middleware-stack
 */
export function guardAgainstDeletes(client: S3Client): S3Client {
  if (guarded.has(client)) return client;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      assertNotDeleteRequest(context.commandName ?? "an unnamed command");
      return next(args);
    },
    { step: "initialize", name: NO_DELETE_MIDDLEWARE, priority: "high" },
  );
  guarded.add(client);
  return client;
}
