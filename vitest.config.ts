import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/servers.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The AWS SDK warns once per process that it will drop Node 20 in 2027; the CLI turns that
    // off the same way (src/probe), and the tests' output should not carry it either.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
