// Loads the project's TypeScript modules into a plain Node script (benchmarks, the larger
// differential run): esbuild bundles a small entry that re-exports them into node_modules/.cache,
// then the script imports the bundle. Packages named in `external` stay as they are.
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * @param name - cache file name, e.g. "audit-bench"
 * @param exports - `{ name: "src/path.ts" }` for each export wanted
 * @param external - packages to leave out of the bundle
 * @returns the module namespace
 */
export async function loadTs(name, exports, external = []) {
  const outfile = `${root}node_modules/.cache/nimble-bucket/${name}.mjs`;
  const contents = Object.entries(exports)
    .map(([binding, path]) => `export { ${binding} } from "./${path}";`)
    .join("\n");
  await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    external,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}
