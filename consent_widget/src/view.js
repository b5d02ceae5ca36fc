/**
 * The banner's view: an open shadow root on `<policyforge-consent>`, styled by constructable
 * stylesheets, with two layers (1: the notice, 2: settings per category, which comes with the second
 * stage, settings.js). It knows nothing of cookies or decisions: it shows what {@link Notice} says and
 * reports the visitor's actions.
 *
 * Theming hooks: the elements a page may style with `::part()` carry `part` names (docs/embedding.md lists them).
 * Accept and Reject always carry the same ones ({@link choicePart}), so no theme can make one louder.
 */

import { guard } from "./debug.js";
import {
  ACCEPT, ALLOW, CHANGED, CHANGED_LINK, CHANGES_URL, CLOSE, CUSTOMIZE, FRAME, GPC, POLICY_LINK, POLICY_URL, PRIVACY_CHOICES, REJECT,
  SETTINGS_TITLE, TEXT, TITLE,
} from "./texts.js";

/**
 * @typedef {object} Notice What a layer shows, computed by the controller when it opens.
 * @property {(id: string) => boolean} has whether a category is granted (settings ticks)
 * @property {string|null|undefined} changedSince consent revision of an outdated choice, if any
 * @property {boolean} changed the stored choice is for an earlier consent revision
 * @property {boolean} gpc say that the Global Privacy Control signal was honoured
 * @property {boolean} undecided no choice yet: Escape in settings goes back to the notice
 * @property {{id: string, time: number}|null} receipt the current choice's consent id and time, when receipts are kept
 */

/**
 * @callback ActionHandler
 * @param {string} action "accept", "reject" or "save"
 * @param {Object<string, boolean>} [choices] for "save": the ticks per category id
 */

/**
 * The `part` names of an action button: Accept and Reject share "choice".
 * @param {string} action
 */
const choicePart = (action) => "button " + (action === "choose" ? "settings-button" : action === "save" ? "save" : "choice");

/**
 * Create the view. Nothing is built until the first `open`.
 * @param {Document} doc
 * @param {string} css the banner's stylesheet
 * @param {import("./model.js").Config} config
 * @param {() => Notice} notice
 * @param {ActionHandler} onAction
 * @param {() => Promise<import("./settings.js").SecondStage|undefined>} second the second stage, loaded once
 */
export function createView(doc, css, config, notice, onAction, second) {
  const texts = config.texts;
  /** @type {HTMLElement|null} */
  let host = null;
  /** @type {ShadowRoot|null} */
  let root = null;
  /** @type {HTMLElement|null} */
  let box = null;
  let layer = 0;
  /** @type {Element|null} */
  let returnFocus = null;
  /** @type {HTMLElement[]} the page's elements made inert by modal mode */
  let inert = [];
  /** @type {import("./settings.js").SecondStage|undefined} the second stage, once it arrived */
  let settings;
  /** The second stage could not load: the notice offers Accept and Reject only. */
  let failed = false;

  /**
   * Create an element with a class, text and attributes, appended to `parent`.
   * @param {string} tag
   * @param {Node|null} parent
   * @param {string} [className]
   * @param {string} [text]
   * @param {Object<string, string|number|boolean>} [attributes]
   * @returns {HTMLElement}
   */
  const element = (tag, parent, className, text, attributes) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    for (const name in attributes) node.setAttribute(name, /** @type {string} */ (attributes[name]));
    if (parent) parent.appendChild(node);
    return node;
  };

  const close = () => {
    if (!box || !root) return;
    const focusInside = root.activeElement;
    box.remove();
    box = null;
    layer = 0;
    for (const node of inert) node.inert = false;
    inert = [];
    if (focusInside) /** @type {HTMLElement} */ (returnFocus)?.focus?.();
  };

  /** @param {Event} event */
  const onClick = (event) => {
    const target = /** @type {Element} */ (event.target).closest("[data-action]");
    const action = target && target.getAttribute("data-action");
    if (!action || !box) return;
    if (action === "close") close();
    else if (action === "choose") open(2);
    // (Save is the settings layer's: the second stage reads its switches)
    else if (action === "save") onAction("save", /** @type {import("./settings.js").SecondStage} */ (settings).ticked(box));
    else onAction(action);
  };

  /**
   * Escape: from settings back to the notice while nothing is decided, else close. Tab is the browser's: a
   * non-modal dialog lets focus go back to the page (in modal mode the page is inert).
   * @param {KeyboardEvent} event
   */
  const onKey = (event) => {
    if (box && event.key === "Escape") {
      event.preventDefault();
      if (layer > 1 && notice().undecided) open(1);
      else close();
    }
  };

  /** The stylesheet, built once and shared by the banner and the frame placeholders. */
  let sheet = /** @type {CSSStyleSheet|null} */ (null);

  /**
   * Create a host element with an open shadow root styled by the banner's sheet.
   * @param {string} tag
   */
  const shadowHost = (tag) => {
    const node = doc.createElement(tag);
    const shadow = node.attachShadow({ mode: "open" });
    // Without constructable stylesheets the banner still works, unstyled.
    guard(() => {
      if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    });
    shadow.addEventListener("click", onClick);
    speak(node);
    return node;
  };

  /**
   * The language and direction of the texts now shown (main.js sets them in the configuration).
   * @param {HTMLElement} node
   */
  const speak = (node) => {
    node.lang = /** @type {string} */ (config.lang);
    node.dir = /** @type {string} */ (config.dir);
  };

  /** Create the host element and its shadow root once; give it the current language. */
  const mount = () => {
    if (!host) {
      host = shadowHost("policyforge-consent");
      // the layout (consent.css places the layers by these attributes; an unknown value is the default)
      host.dataset.layout = config.layout || "box";
      host.dataset.position = config.position || "bottom";
      root = /** @type {ShadowRoot} */ (host.shadowRoot);
      root.addEventListener("keydown", /** @type {EventListener} */ (onKey));
    }
    speak(host);
    if (!host.isConnected) doc.body.appendChild(host);
    return /** @type {ShadowRoot} */ (root);
  };

  /**
   * Put an accessible placeholder over a gated frame that is not allowed yet: it names the
   * category, and its button grants the category (which loads the frame). Returns it.
   * @param {HTMLIFrameElement} frame
   * @param {import("./model.js").Category} category
   * @param {() => void} allow
   */
  const placeholder = (frame, category, allow) => {
    const node = shadowHost("policyforge-frame");
    const box = element("div", /** @type {ShadowRoot} */ (node.shadowRoot), "box", "", { role: "group", "aria-label": category.title, part: "placeholder" });
    element("p", box, "d", category.title + ": " + texts[FRAME], { part: "text" });
    element("button", element("div", box, "bs"), "b", texts[ALLOW] + " " + category.title, { part: "button allow" }).onclick = allow;
    frame.before(node);
    return node;
  };

  /**
   * Show layer 1 (the notice) or 2 (settings).
   * @param {number} which
   * @param {boolean} [later] move focus after the next frame (the notice at load): focusing needs
   *   style and layout, which then are up to date, instead of computing them inside the banner's script
   */
  const open = (which, later) => {
    // The settings layer comes with the second stage: load it (once), then open it; without it, the notice.
    if (which > 1 && !settings) {
      if (!failed) second().then((stage) => {
        if (stage) {
          settings = stage;
          // (its rules join the banner's: the frames' placeholders never show the settings layer)
          guard(() => {
            const extra = new CSSStyleSheet();
            extra.replaceSync(stage.css);
            mount().adoptedStyleSheets = [/** @type {CSSStyleSheet} */ (sheet), extra];
          });
        } else failed = true;
        open(settings ? 2 : 1);
      });
      else open(1);
      return;
    }
    const shadow = mount();
    const state = notice();
    if (box) box.remove();
    else {
      returnFocus = doc.activeElement;
      // modal mode: the rest of the page is inert until the layer closes
      if (config.modal) for (const node of /** @type {HTMLCollectionOf<HTMLElement>} */ (doc.body.children)) if (node !== host && !node.inert) inert.push(node), (node.inert = true);
    }
    layer = which;
    box = element("div", shadow, "box", "", {
      role: "dialog", "aria-modal": !!config.modal, "aria-labelledby": "pf-t", tabindex: "-1", "data-layer": which, part: "dialog",
    });
    element("button", box, "x", "\u00d7", { "data-action": "close", "aria-label": texts[CLOSE], part: "close" });
    element("h2", box, "t", which > 1 ? texts[SETTINGS_TITLE] : texts[TITLE], { id: "pf-t", part: "title" });
    let buttons = [["accept", texts[ACCEPT]], ["reject", texts[REJECT]], ["choose", texts[CUSTOMIZE]]];
    if (failed) buttons.pop();
    if (which < 2) {
      box.setAttribute("aria-describedby", "pf-d");
      element("a", element("p", box, "d", texts[TEXT] + " ", { id: "pf-d", part: "text" }), "", texts[POLICY_LINK], { href: texts[POLICY_URL], part: "link" });
      if (state.changed) {
        const paragraph = element("p", box, "n changed", texts[CHANGED] + " ", { part: "note" });
        if (texts[CHANGES_URL] && state.changedSince) {
          const href = texts[CHANGES_URL].replace("{revision}", encodeURIComponent(state.changedSince));
          element("a", paragraph, "", texts[CHANGED_LINK], { href, part: "link" });
        }
      }
      if (state.gpc) element("p", box, "n gpc", texts[GPC], { part: "note" });
    } else buttons = /** @type {import("./settings.js").SecondStage} */ (settings).fill(box, state, element, buttons);
    const bar = element("div", box, "bs", "", { part: "buttons" });
    for (const [action, label] of buttons) element("button", bar, "b", label, { "data-action": action, part: choicePart(action) });
    // (the banner is fixed in the viewport: focusing it never scrolls the page). At load, a field the page
    // focused keeps the focus: the visitor reaches this non-modal dialog with Tab or its shortcut.
    const focus = () => (!later || doc.activeElement === doc.body) && box?.focus();
    later ? requestAnimationFrame(focus) : focus();
  };

  /**
   * The opt-out link of an opt-out region: a button "Your Privacy Choices" with the opt-out icon (the
   * California Privacy Protection Agency's toggle: the pill is the stylesheet's, its tick and cross SVG) that
   * opens the settings; once.
   */
  const choices = () => {
    const shadow = mount();
    if (shadow.querySelector(".pc")) return;
    const button = element("button", null, "pc", "", { part: "privacy-choices" });
    /** @type {(parent: Element, tag: string, attributes: Object<string, string>) => Element} */
    const svg = (parent, tag, attributes) => {
      const node = parent.appendChild(doc.createElementNS("http://www.w3.org/2000/svg", tag));
      for (const name in attributes) node.setAttribute(name, attributes[name]);
      return node;
    };
    const icon = svg(button, "svg", { viewBox: "0 0 30 14", "aria-hidden": "true" });
    svg(icon, "path", { d: "M5 7l3 3 5-5" });
    svg(icon, "path", { d: "M18 4.5l5 5m0-5l-5 5" });
    button.append(texts[PRIVACY_CHOICES]);
    button.onclick = () => open(2);
    shadow.prepend(button);
  };

  return {
    open, close, placeholder, choices,
    // An open layer is shown again (in the texts now configured: after a language switch).
    refresh: () => layer && open(layer),
    // The shortcut: to the open layer, else to the settings.
    reach: () => (box ? box.focus() : open(2)),
  };
}
