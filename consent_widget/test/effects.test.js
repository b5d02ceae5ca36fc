// Unit tests of the banner's cookie effects (src/effects.js) on a stand-in document: `node --test test/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { deleteDeclared } from "../src/effects.js";

/**
 * A window whose `document.cookie` reads `jar` and records every cookie written.
 * @param {string} jar
 */
function fakeWindow(jar) {
  /** @type {string[]} */
  const written = [];
  const document = {
    get cookie() {
      return jar;
    },
    set cookie(text) {
      written.push(text);
    },
  };
  const location = { protocol: "https:", hostname: "www.example.test", pathname: "/" };
  return { win: /** @type {any} */ ({ document, location }), written };
}

test("deleteDeclared deletes cookies by their exact names, never by a look-alike's trimmed name", () => {
  const { win, written } = fakeWindow("\u00a0_ga_X=1; _ga_Y=1; _ga_Z\u3000=1; \ufeff__Host-pf_consent=1; __Host-pf_consent=1");
  deleteDeclared(win, { id: "analytics", title: "", description: "", required: false, cookies: [["_ga_*", "", "", ""]] });
  const names = new Set(written.map((text) => text.slice(0, text.indexOf("="))));
  assert.deepEqual([...names], ["_ga_Y", "_ga_Z\u3000"]);
  assert.ok(written.every((text) => text.includes("max-age=0")));
  assert.ok(written.includes("_ga_Y=;max-age=0;path=/;domain=example.test;Secure"));
});
