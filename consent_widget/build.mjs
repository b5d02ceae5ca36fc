// Build the banner: bundle src/ with esbuild, minify with esbuild and then terser (both pinned
// in package.json, terser squeezes out about 4% more), into dist/.
//
//   node build.mjs          write dist/consent.min.js, dist/consent.receipts.min.js (with the consent-receipt
//                           sender), dist/consent.min.css and dist/consent.receipts.min.css (+ src/receipts.css),
//                           and dist/consent.keys.json (the configuration's short key names)
//   node build.mjs --check  exit 1 when the committed dist/ differs from a fresh build
//   node build.mjs --out D  write into folder D instead of dist/
//
// dist/ is committed: `pip install policyforge` and `make site` never need Node.
import { build, transform } from "esbuild";
import { minify } from "terser";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : join(here, "dist");

/**
 * Configuration keys the script reads under short names (the "wire" names): policyforge's assembly renames
 * them in the inlined configuration (policyforge/banner/assemble.py reads dist/consent.keys.json). Never a
 * name the page, the DOM, the stored record or the public API also uses.
 */
const WIRE_KEYS = {
  revision: "R", lifetimeDays: "L", texts: "X",
  required: "Q", cookies: "K", gcm: "G", title: "T", description: "D",
};
const INTERNAL = ["granted", "current", "undecided", "signalUnanswered", "choose", "subscribe", "previous", "withdrawn",
  "changedSince", "activate", "refresh", "open", "changed", "receipt", "randomId", "conflict", "gpcNotice", "placeholder"];

/**
 * One bundle of the banner, minified. `receipts` keeps the receipt sender (src/receipts.js); without
 * it, `__PF_RECEIPTS__` is false and the sender is left out, so sites that keep no receipts do not
 * download it.
 * @param {boolean} receipts
 */
async function bundle(receipts) {
  const js = await build({
    entryPoints: [join(here, "src", "main.js")],
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    legalComments: "none",
    define: { __PF_RECEIPTS__: String(receipts) },
    // Internal property names that never meet the DOM, the page API or the configuration.
    // Internal property names that never meet the DOM, the page API or the configuration, and the wire keys.
    mangleProps: new RegExp(`^(${[...INTERNAL, ...Object.keys(WIRE_KEYS)].join("|")})$`),
    mangleCache: { ...WIRE_KEYS },
    charset: "ascii",
    write: false,
  });
  const squeezed = await minify(js.outputFiles[0].text, {
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true, unsafe_methods: true, hoist_funs: true },
    mangle: true,
    format: { ascii_only: true },
  });
  return squeezed.code + "\n";
}

/** The output files, as {name: text}. */
async function outputs() {
  /** @param {string[]} names */
  const css = async (names) => {
    const text = (await Promise.all(names.map((name) => readFile(join(here, "src", name), "utf8")))).join("\n");
    return (await transform(text, { loader: "css", minify: true, target: "chrome100" })).code.trim() + "\n";
  };
  return {
    "consent.min.js": await bundle(false),
    "consent.receipts.min.js": await bundle(true),
    "consent.min.css": await css(["consent.css"]),
    "consent.receipts.min.css": await css(["consent.css", "receipts.css"]),
    "consent.keys.json": JSON.stringify(WIRE_KEYS, null, 1) + "\n",
  };
}

const files = await outputs();
if (check) {
  const stale = [];
  for (const [name, text] of Object.entries(files)) {
    const committed = await readFile(join(out, name), "utf8").catch(() => "");
    if (committed !== text) stale.push(name);
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(", ")} (run: make widget)`);
    process.exit(1);
  }
  console.log("dist/ is up to date");
} else {
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text);
  console.log(`wrote ${Object.keys(files).join(", ")} to ${out}`);
}
