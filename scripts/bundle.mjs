// Bundles the CLI into dist/bundle/ for a fast cold start: yargs and our own modules become one
// ESM file, so `node bin/nimble-bucket.js policy s3 ...` resolves no node_modules at start-up.
// Heavy packages (AWS and Google SDKs, handlebars, yaml, CEL) stay external and are imported
// lazily by the commands that use them; code splitting keeps lazily imported modules of ours in
// their own chunks. dist/bundle/ sits two levels below the project, like src/report/, so
// templates/ resolves the same way from the bundle, from tsc's dist/ and from src/ under vitest.
//
// The one exception is the S3 probe's SDK (src/probe/sdk.ts): a second build bundles just the
// commands it names, tree-shaken from the SDK's ESM build, into dist/bundle/probe-sdk.mjs and
// its sdk-* chunks. Loading @aws-sdk/client-s3 from node_modules (its whole CommonJS build, file
// by file) costs more than the probe's requests; the bundled subset roughly halves that. Only
// `probe` loads it: the main build refers to it as an external file, and `audit` keeps using the
// installed SDK.
import { build } from "esbuild";
import { readFile, rm } from "node:fs/promises";

const root = new URL("../", import.meta.url);
const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
// yargs and its parser are bundled: the fast path of every command parses with yargs-parser.
const bundled = new Set(["yargs", "yargs-parser"]);
const external = Object.keys(pkg.dependencies ?? {})
  .filter((name) => !bundled.has(name))
  .flatMap((name) => [name, `${name}/*`]);
// Shims: string-width builds a very large emoji regular expression when it loads (~20 ms); the
// help text it measures is plain ASCII, so the bundle measures width as the length without ANSI
// codes.
// node:assert pulls in its error formatting and terminal colour support (~3 ms); yargs uses
// only strictEqual and notStrictEqual, for internal consistency checks.
const SHIMS = {
  "string-width":
    "const ANSI = /\\u001b\\[[0-9;]*m/g;\n" +
    "export default function stringWidth(text) { return String(text).replace(ANSI, '').length; }\n",
  assert:
    "function fail(m) { throw new Error(m ?? 'assertion failed'); }\n" +
    "export function strictEqual(a, b, m) { if (a !== b) fail(m); }\n" +
    "export function notStrictEqual(a, b, m) { if (a === b) fail(m); }\n",
};
const plainStringWidth = {
  name: "plain-string-width",
  setup(build) {
    build.onResolve({ filter: /^(string-width|assert)$/ }, (args) => ({
      path: args.path,
      namespace: "nb",
    }));
    build.onLoad({ filter: /.*/, namespace: "nb" }, (args) => ({
      contents: SHIMS[args.path],
      loader: "js",
    }));
  },
};
// yargs renders the whole help text (~8 ms) before every command handler, in case the handler
// calls showHelp() later. Ours never do (errors go through main's reportError), so the bundle
// skips it. The build fails if yargs changes that line, so an upgrade cannot silently break it.
const CACHE_HELP = "yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();";
const skipHelpCache = {
  name: "skip-help-cache",
  setup(build) {
    build.onLoad({ filter: /yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(CACHE_HELP)) throw new Error(`${args.path}: ${CACHE_HELP} not found`);
      return { contents: source.replace(CACHE_HELP, ""), loader: "js" };
    });
  },
};
// s3.ts imports "./sdk.js" lazily; in the bundle that import names the separately built file.
const PROBE_SDK = "probe-sdk";
const probeSdkFile = {
  name: "probe-sdk-file",
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk\.js$/ }, (args) =>
      /[\\/]src[\\/]probe[\\/]s3\.ts$/.test(args.importer)
        ? { path: `./${PROBE_SDK}.mjs`, external: true }
        : undefined,
    );
  },
};
const entry = {
  name: "entry",
  setup(build) {
    build.onResolve({ filter: /^nb-entry$/ }, () => ({ path: "nb-entry", namespace: "entry" }));
    build.onLoad({ filter: /.*/, namespace: "entry" }, () => ({
      contents:
        'export { main } from "./src/cli/main.ts";\n' +
        'export { processIo } from "./src/cli/io.ts";\n',
      resolveDir: root.pathname,
      loader: "js",
    }));
  },
};
const outdir = new URL("dist/bundle/", root).pathname;

// yargs' ESM build and the SDK's Node code call require(); give each bundle file a `require`.
const banner = {
  js:
    "import { createRequire as __nbCreateRequire } from 'node:module'; " +
    "const require = __nbCreateRequire(import.meta.url);",
};
const common = {
  absWorkingDir: root.pathname,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  banner,
  minify: true,
  logLevel: "warning",
};

await rm(outdir, { recursive: true, force: true });
await build({
  ...common,
  // One entry (main and processIo together), so start-up loads one file plus the command's chunk.
  entryPoints: { "nimble-bucket": "nb-entry" },
  chunkNames: "chunk-[hash]",
  external,
  plugins: [probeSdkFile, entry, plainStringWidth, skipHelpCache],
});
// The probe's SDK subset: the ESM builds ("module") tree-shake to the commands sdk.ts names; the
// credential providers the chain reaches only sometimes (SSO, INI, web identity) stay in chunks
// of their own, loaded when the chain gets there.
await build({
  ...common,
  entryPoints: { [PROBE_SDK]: "src/probe/sdk.ts" },
  chunkNames: "sdk-[hash]",
  mainFields: ["module", "main"],
});
