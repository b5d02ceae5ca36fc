// Unit tests of the second stage's hand-over (src/settings.js): `node --test test/` (run by `make test`).
import assert from "node:assert/strict";
import { test } from "node:test";

// What the assembly puts in place of the markers (policyforge/banner/assemble.py, assemble_settings): the
// default language's texts and categories, and the other languages.
globalThis.__PF_RECEIPTS__ = false;
globalThis.__PF_CSS__ = ".cat{}";
globalThis.__PF_DATA__ = {
  texts: ["/p", "", "Cookies", "We use cookies.", "Accept all", "Reject all", "Choose", "Save"],
  categories: [{ id: "a", title: "Analytics", description: "Counts", cookies: [["_a", "Us", "Counts visits", "1 year"]] }],
  l: { de: [0, 0, "Cookies bei uns", 0, "Alle akzeptieren", 0, 0, "Speichern", "Analyse", "Zählt", "Zählt Besuche"] },
};
// Loaded outside a <script> element with a hand-over function, the file does nothing (no document here).
const { install } = await import("../src/settings.js");

test("install completes the first stage's configuration in place and switches among every language", () => {
  // a German first stage: its texts and titles only, the declared names without their table's texts
  const texts = ["/de/p", "", "Cookies bei uns", "Wir verwenden Cookies.", "Alle akzeptieren", "Alle ablehnen", "Anpassen"];
  const category = { id: "a", title: "Analyse", cookies: [["_a", "", "", ""]] };
  const config = { lang: "de", texts, categories: [category] };
  const stage = install(config);
  assert.equal(config.texts, texts, "the same array: the view holds it");
  assert.equal(config.categories[0], category, "the same category: the gate and the model hold it");
  assert.equal(stage.css, ".cat{}");
  stage.use("de");
  assert.deepEqual([texts[2], texts[4], texts[7]], ["Cookies bei uns", "Alle akzeptieren", "Speichern"]);
  assert.deepEqual([category.title, category.description, category.cookies[0][2], category.cookies[0][3]],
    ["Analyse", "Zählt", "Zählt Besuche", "1 year"]);
  stage.use("en");
  assert.deepEqual([texts[2], texts[7], category.title, category.cookies[0][1]], ["Cookies", "Save", "Analytics", "Us"]);
});
