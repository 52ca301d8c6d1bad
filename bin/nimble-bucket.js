#!/usr/bin/env node
// The CLI entry: the esbuild bundle (npm run build, run by `prepare` on npm ci/install).
import { main, processIo } from "../dist/bundle/nimble-bucket.mjs";

process.exitCode = await main(process.argv.slice(2), await processIo());
