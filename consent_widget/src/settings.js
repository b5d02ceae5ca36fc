/**
 * The banner's second stage: the settings layer (a switch per category, its cookie table, the consent id when
 * receipts are kept), its stylesheet and every language's texts. The build bundles this entry into
 * dist/consent-settings.min.js; policyforge replaces `__PF_DATA__` (the whole configuration's texts, categories
 * and languages) and `__PF_CSS__` (the settings layer's rules). The first stage (main.js, stage.js) loads it on
 * demand and receives it through the hand-over function it put on the loading `<script>` element.
 */

import { guard } from "./debug.js";
import { textSwitch } from "./model.js";
import { ALWAYS_ON, CHOSEN_ON, CONSENT_ID, COOKIES, NAME, SAVE } from "./texts.js";

/** @type {{texts: string[], categories: import("./model.js").Category[], l?: Object<string, Array<string|0>>, rtl?: string[]}} */
// @ts-ignore: replaced by the assembly with the texts, categories and languages
const data = __PF_DATA__;
/** @type {string} */
// @ts-ignore: replaced by the assembly with the settings layer's stylesheet
const css = __PF_CSS__;

/**
 * @typedef {object} SecondStage What the first stage receives.
 * @property {string} css the settings layer's stylesheet
 * @property {(lang: string) => void} use put the texts of `lang` into the configuration
 * @property {(box: HTMLElement, state: import("./view.js").Notice, element: Function, buttons: string[][]) => string[][]} fill
 *   build the settings layer into `box`; returns its buttons (Save first, then `buttons`' Accept and Reject)
 * @property {(box: HTMLElement) => Object<string, boolean>} ticked what the settings layer's switches in `box`
 *   say, per category id and `category:service` (for Save)
 */

/**
 * Complete the first stage's configuration with this stage's data (the default language's texts, categories
 * with their descriptions and cookie tables, the other languages), in place: the first stage's objects keep
 * their identity.
 * @param {import("./model.js").Config} config
 * @returns {SecondStage}
 */
export function install(config) {
  Object.assign(config.texts, data.texts);
  config.categories.forEach((category, index) => Object.assign(category, data.categories[index]));
  config.l = data.l;
  /** @type {{rtl?: string[]}} */ (config).rtl = data.rtl;
  return { css, use: textSwitch(config), fill: (box, state, element, buttons) => fill(config, box, state, element, buttons), ticked };
}

/**
 * What the switches in `box` say, per category id and `category:service`.
 * @param {HTMLElement} box
 * @returns {Object<string, boolean>}
 */
function ticked(box) {
  /** @type {Object<string, boolean>} */
  const choices = {};
  box.querySelectorAll("input").forEach((input) => {
    choices[input.dataset.c || ""] = input.checked;
  });
  return choices;
}

/**
 * The settings layer: what `view.open(2)` shows between the title and the buttons.
 * @param {import("./model.js").Config} config
 * @param {HTMLElement} box
 * @param {import("./view.js").Notice} state
 * @param {Function} element view.js's element maker
 * @param {string[][]} buttons the first layer's [action, label] pairs
 * @returns {string[][]}
 */
function fill(config, box, state, element, buttons) {
  const texts = config.texts;
  // @ts-ignore: __PF_RECEIPTS__ is set by the build (false: this code is left out)
  if (__PF_RECEIPTS__ && state.receipt) {
    const when = new Date(state.receipt.time);
    const paragraph = element("p", box, "n rid", texts[CONSENT_ID] + ": ", { part: "note" });
    element("code", paragraph, "", state.receipt.id);
    paragraph.append(" \u00b7 " + texts[CHOSEN_ON] + " ");
    element("time", paragraph, "", when.toLocaleString(), { datetime: when.toISOString() });
  }
  const list = element("div", box, "cats");
  config.categories.forEach((category, index) => {
    const row = element("div", list, "cat", "", { "data-category": category.id, part: "category" });
    const label = element("label", row, "row");
    const checkbox = /** @type {HTMLInputElement} */ (
      element("input", label, "", "", { type: "checkbox", role: "switch", "data-c": category.id, "aria-describedby": "pf-c" + index, part: "switch" })
    );
    checkbox.checked = state.has(category.id);
    checkbox.disabled = !!category.required;
    element("span", label, "pf-cat-title", category.title, { part: "category-title" });
    if (category.required) element("span", label, "on", texts[ALWAYS_ON], { part: "always-on" });
    element("p", row, "pf-cat-desc", category.description, { id: "pf-c" + index, part: "category-text" });
    if (category.services) serviceSwitches(element, row, category, checkbox, state.has, texts);
    const cookies = category.cookies || [];
    if (cookies.length) {
      // collapsed: a native disclosure (<details>), one definition list per cookie inside
      const list = element("details", row, "", "", { part: "cookies" });
      // one name per category: "Cookies: Analytics"
      element("summary", list, "", texts[COOKIES], { "aria-label": texts[COOKIES] + ": " + category.title });
      for (const cookie of cookies) {
        const rows = element("dl", list, "", "", { "data-cookie": cookie[0] });
        for (let field = 0; field < 4; field++) {
          element("dt", rows, "", texts[NAME + field]);
          // the record's own row names it as it is set here (with its __Host- prefix on https)
          element("dd", rows, "", field || cookie[0] !== config.cookie ? cookie[field] : /** @type {string} */ (config.jar));
        }
      }
    }
  });
  return [["save", texts[SAVE]], buttons[0], buttons[1]];
}

/**
 * The settings layer's switches of a category's services, under the category's own: each names the service, its
 * provider and the cookies it sets. Switching the category on or off switches all of them; switching one off
 * switches the category off (the category stands for all its services and its other cookies).
 * @param {(tag: string, parent: Node|null, className?: string, text?: string, attributes?: Object<string, string|number|boolean>) => HTMLElement} element
 * @param {HTMLElement} row the category's row
 * @param {import("./model.js").Category} category
 * @param {HTMLInputElement} all the category's switch
 * @param {(id: string) => boolean} has
 * @param {string[]} texts
 */
function serviceSwitches(element, row, category, all, has, texts) {
  const list = element("ul", row, "svcs");
  /** @type {HTMLInputElement[]} */
  const switches = [];
  for (const service of /** @type {import("./model.js").Service[]} */ (category.services)) {
    const key = category.id + ":" + service.id;
    const item = element("li", list, "", "", { "data-service": key, part: "service" });
    const label = element("label", item, "row");
    const input = /** @type {HTMLInputElement} */ (
      element("input", label, "", "", { type: "checkbox", role: "switch", "data-c": key, "aria-describedby": "pf-s" + key, part: "switch" })
    );
    input.checked = has(key);
    input.disabled = !!category.required;
    input.onchange = () => (all.checked &&= input.checked);
    switches.push(input);
    element("span", label, "pf-cat-title", service.title, { part: "service-title" });
    const about = [service.description, service.recipient && texts[NAME + 1] + ": " + service.recipient];
    if (service.cookies.length) about.push(texts[COOKIES] + ": " + service.cookies.join(", "));
    element("p", item, "pf-cat-desc", about.filter(Boolean).join(" \u00b7 "), { id: "pf-s" + key, part: "service-text" });
  }
  all.addEventListener("change", () => switches.forEach((input) => (input.checked = all.checked)));
}

// The first stage put its hand-over function on the <script> element that loads this file (stage.js); loaded
// any other way, this file does nothing.
guard(() => /** @type {any} */ (document.currentScript).pf(install));
