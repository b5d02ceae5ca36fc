/**
 * The first stage's side of the second stage (settings.js): the banner's first file carries the record,
 * gating, Consent Mode, GPC, the page API and the notice in one language; the settings layer, cookie tables
 * and every other language come on demand, in one more request, from the folder of the first file.
 */

import { guard } from "./debug.js";
import { trusted } from "./effects.js";

/**
 * Load the second stage once: a `<script>` for `src` with Subresource Integrity `integrity`, `crossorigin`,
 * its URL passed through the Trusted Types policy "policyforge". The file hands its `install` function over
 * through the `pf` property of that element (settings.js); an element no other script can reach, so the
 * hand-over needs no global.
 * @param {Document} doc
 * @param {string} src
 * @param {string} integrity
 * @returns {Promise<((config: import("./model.js").Config) => import("./settings.js").SecondStage)|undefined>}
 *   the second stage's `install`, or undefined when it did not arrive (missing, tampered, refused by the CSP)
 */
export function loadStage(doc, src, integrity) {
  return new Promise((resolve) => {
    /** @type {any} */
    let install;
    const script = /** @type {HTMLScriptElement & {pf?: Function}} */ (doc.createElement("script"));
    script.pf = (/** @type {any} */ given) => (install = given);
    script.integrity = integrity;
    script.crossOrigin = "anonymous";
    script.onload = script.onerror = () => resolve(install);
    // A URL the page's CSP or Trusted Types refuse: no second stage.
    guard(() => {
      script.src = trusted().createScriptURL(src);
      doc.head.append(script);
      return 1;
    }) || resolve(install);
  });
}
