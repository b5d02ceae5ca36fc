// Build the banner: bundle src/ with esbuild, minify with esbuild and then terser (both pinned
// in package.json, terser squeezes out about 4% more), into dist/.
//
//   node build.mjs          write the first stage, dist/consent.min.js and dist/consent.receipts.min.js (with the
//                           consent-receipt sender), with dist/consent.min.css (the notice); the second stage,
//                           dist/consent-settings.min.js and dist/consent-settings.receipts.min.js (with the consent
//                           id), with dist/consent-settings.min.css and dist/consent-settings.receipts.min.css
//                           (+ src/receipts.css); and dist/consent.keys.json (the configuration's short key names)
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
  required: "Q", cookies: "K", gcm: "G", title: "T", description: "D", stage: "S", langs: "B",
};
const INTERNAL = ["granted", "current", "undecided", "signalUnanswered", "choose", "subscribe", "previous", "withdrawn",
  "changedSince", "activate", "refresh", "open", "changed", "receipt", "randomId", "conflict", "gpcNotice", "placeholder",
  "use", "fill", "ticked"];

/**
 * The short names given so far: the two stages are two files, and a property one stage writes and the other
 * reads (the configuration, the second stage's hand-over) must have one name in both. Every bundle starts from
 * the names of the ones before (the order of `outputs()`).
 */
let mangleCache = { ...WIRE_KEYS };

/**
 * One bundle of the banner, minified: the first stage (`main.js`) or the second (`settings.js`). `receipts`
 * keeps the receipt sender (src/receipts.js) and the consent id in the settings layer; without it,
 * `__PF_RECEIPTS__` is false and they are left out, so sites that keep no receipts do not download them.
 * @param {string} entry
 * @param {boolean} receipts
 */
async function bundle(entry, receipts) {
  const js = await build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    legalComments: "none",
    define: { __PF_RECEIPTS__: String(receipts) },
    // Internal property names that never meet the DOM, the page API or the configuration, and the wire keys.
    mangleProps: new RegExp(`^(${[...INTERNAL, ...Object.keys(WIRE_KEYS)].join("|")})$`),
    mangleCache,
    charset: "ascii",
    write: false,
  });
  mangleCache = /** @type {Record<string, string>} */ (js.mangleCache);
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
    "consent.receipts.min.js": await bundle("main.js", true),
    "consent.min.js": await bundle("main.js", false),
    "consent-settings.receipts.min.js": await bundle("settings.js", true),
    "consent-settings.min.js": await bundle("settings.js", false),
    "consent.min.css": await css(["consent.css"]),
    "consent-settings.min.css": await css(["settings.css"]),
    "consent-settings.receipts.min.css": await css(["settings.css", "receipts.css"]),
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
