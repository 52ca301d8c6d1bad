import { Storage } from "@google-cloud/storage";
import { OAuth2Client } from "google-auth-library";

/** Test-only bearer tokens (not secrets) and the members the fake maps them to. */
export const TOKENS = {
  nimble: "nimble-test-token",
  owner: "owner-test-token",
  other: "other-test-token",
} as const;

/** The members the test tokens stand for (Nimble's real service account among them). */
export const MEMBERS = {
  nimble: "serviceAccount:nimbleway-gcp-storage@nimbleway-gcp.iam.gserviceaccount.com",
  owner: "user:owner@example.com",
  other: "serviceAccount:other@example-project.iam.gserviceaccount.com",
} as const;

/** The fake's token table. */
export const TOKEN_MEMBERS: Record<string, string> = {
  [TOKENS.nimble]: MEMBERS.nimble,
  [TOKENS.owner]: MEMBERS.owner,
  [TOKENS.other]: MEMBERS.other,
};

/**
 * A real @google-cloud/storage client for the fake server: an OAuth2Client with a preset token,
 * sent to the custom endpoint because of useAuthWithCustomEndpoint.
 * @param url - the fake server's base URL
 * @param token - one of TOKENS, which picks the caller
 * @returns the client (no retries, test project)
 */
export function fakeStorage(url: string, token: string): Storage {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return new Storage({
    apiEndpoint: url,
    authClient,
    useAuthWithCustomEndpoint: true,
    projectId: "test-project",
    retryOptions: { autoRetry: false },
  });
}

/** The owner's binding every fake bucket starts with, so setup can go through the API. */
export const OWNER_BINDING = { role: "roles/storage.admin", members: [MEMBERS.owner] };
