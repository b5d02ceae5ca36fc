/**
 * The banner's effects on the page: the record cookie, deleting declared cookies and storage,
 * Google Consent Mode, gated scripts and frames, and events. Everything the page or browser may
 * forbid is guarded (see debug.js): the banner never throws into the host page.
 */

import { guard } from "./debug.js";
import { cookiePairs, matchName, parentDomains, pathPrefixes } from "./model.js";

/** Gated content: inert scripts and frames without `src` that name a category. */
const GATED = "script[type='text/plain'][data-consent],iframe[data-consent][data-src]";

/**
 * `document.cookie`, or "" when the page forbids cookies.
 * @param {Document} doc
 */
export function readJar(doc) {
  // Sandboxed frames and blocked cookies throw: that reads as no cookies, so no consent.
  return guard(() => doc.cookie, "");
}

/**
 * Set one cookie from its full `document.cookie` text.
 * @param {Document} doc
 * @param {string} text
 */
function setCookie(doc, text) {
  // The page forbids cookies: the choice holds for this page view only.
  guard(() => {
    doc.cookie = text;
  });
}

/**
 * Where the record lives. On https it is a `__Host-` cookie (no Domain, path `/`, Secure), which
 * no other host can set or overwrite; a `domain` opts into sharing across subdomains instead.
 * @param {string} baseName the configured cookie name
 * @param {Location} loc
 * @param {string} domain the embedder's `data-cookie-domain`, or ""
 */
export function recordCookie(baseName, loc, domain) {
  const secure = loc.protocol === "https:";
  return {
    name: secure && !domain ? "__Host-" + baseName : baseName,
    attributes: ";path=/;SameSite=Lax" + (secure ? ";Secure" : "") + (domain ? ";domain=" + domain : ""),
  };
}

/**
 * Store a record, or delete it (`record` null).
 * @param {Document} doc
 * @param {{name: string, attributes: string}} cookie
 * @param {import("./model.js").ConsentRecord|null} record
 * @param {number} lifetimeDays
 */
export function storeRecord(doc, cookie, record, lifetimeDays) {
  const value = record ? encodeURIComponent(JSON.stringify(record)) : "";
  setCookie(doc, cookie.name + "=" + value + cookie.attributes + ";max-age=" + (record ? lifetimeDays * 86400 : 0));
}

/**
 * Delete cookies called `name` on the host and every parent domain, for every given path.
 * @param {Document} doc
 * @param {Location} loc
 * @param {string} name
 * @param {string[]} paths
 */
function deleteEverywhere(doc, loc, name, paths) {
  const secure = loc.protocol === "https:" ? ";Secure" : "";
  for (const domain of ["", ...parentDomains(loc.hostname)]) {
    for (const path of paths) {
      setCookie(doc, name + "=;max-age=0;path=" + path + (domain && ";domain=" + domain) + secure);
    }
  }
}

/**
 * Remove every copy of the record cookie that this page can see: the conflicting copies may
 * come from a sibling subdomain (a parent-domain cookie) or a longer path.
 * @param {Document} doc
 * @param {Location} loc
 * @param {string} name
 */
export function purgeRecord(doc, loc, name) {
  deleteEverywhere(doc, loc, name, pathPrefixes(loc.pathname));
}

/**
 * Delete what a refused category declares: its cookies (exact names, or every visible name a
 * `*` pattern matches) on the host and on every parent domain, for the declared path and `/`;
 * and its localStorage and sessionStorage keys.
 * @param {Window} win
 * @param {import("./model.js").Category} category
 * @param {string[]} [keep] declared names to leave (the cookies of the category's services still granted)
 */
export function deleteDeclared(win, category, keep) {
  const doc = win.document;
  const loc = win.location;
  for (const [name, , , , path, storage] of category.cookies || []) {
    if (keep?.includes(name)) continue;
    if (storage) {
      clearStorage(win, storage, name);
      continue;
    }
    const visible = cookiePairs(readJar(doc)).map((pair) => pair[0]);
    const names = name.includes("*") ? visible.filter((n) => matchName(name, n)) : [name];
    const paths = [path || "/", "/"]; // "/" twice deletes nothing more
    // A declared domain can only be this host or a parent of it (the browser refuses any other),
    // and those are all covered.
    for (const name of names) deleteEverywhere(doc, loc, name, paths);
  }
}

/**
 * Remove keys matching `pattern` from localStorage or sessionStorage.
 * @param {Window} win
 * @param {string} kind "local" or "session"
 * @param {string} pattern
 */
function clearStorage(win, kind, pattern) {
  // Storage that throws (privacy mode, sandbox) holds nothing to clear.
  guard(() => {
    const store = kind === "session" ? win.sessionStorage : win.localStorage;
    const keys = [];
    for (let i = 0; i < store.length; i++) keys.push(/** @type {string} */ (store.key(i)));
    for (const key of keys) if (matchName(pattern, key)) store.removeItem(key);
  });
}

/**
 * Define a minimal `gtag` feeding `dataLayer` when the page has none yet.
 * @param {Window & {gtag?: Function, dataLayer?: unknown[]}} win
 */
export function ensureGtag(win) {
  if (typeof win.gtag === "function") return;
  const layer = (win.dataLayer = win.dataLayer || []);
  win.gtag = function () {
    // gtag's own definition pushes its arguments object; Google's tag reads exactly that.
    layer.push(arguments);
  };
}

/**
 * Send a Consent Mode command ("default" or "update").
 * @param {Window & {gtag?: Function}} win
 * @param {string} mode
 * @param {Object<string, string|number>} state
 */
export function consentMode(win, mode, state) {
  // A broken gtag of the page must not stop the banner.
  guard(() => /** @type {Function} */ (win.gtag)("consent", mode, state));
}

/**
 * Dispatch `policyforge:<name>` on the document.
 * @param {Document} doc
 * @param {string} name
 * @param {unknown} detail
 */
export function emit(doc, name, detail) {
  // Errors in the page's listeners are reported by the browser and never reach dispatchEvent.
  doc.dispatchEvent(new CustomEvent("policyforge:" + name, { detail }));
}

/** @type {{createScript: (text: string) => any, createScriptURL: (url: string) => any}|undefined} */
let policy;

/**
 * The Trusted Types policy "policyforge" (docs/embedding.md) that gated scripts and the second stage's URL pass through: the page's own
 * markup, its text and URL as they are. Created once, on first use.
 */
export function trusted() {
  const identity = (/** @type {string} */ text) => text;
  const plain = { createScript: identity, createScriptURL: identity };
  // Without Trusted Types, or when the page's CSP does not allow the name, plain strings: the browser then
  // enforces the page's own rules on them.
  // @ts-ignore: trustedTypes is not in TypeScript's DOM types yet
  return (policy ||= guard(() => trustedTypes.createPolicy("policyforge", plain), plain));
}

/**
 * Gated scripts and frames: activated once each when their category is granted, in document
 * order (an external script runs before the gated scripts after it), including content added
 * later (single-page apps), which a MutationObserver hands over.
 * @param {Document} doc
 * @param {(id: string) => boolean} has
 * @param {(frame: HTMLIFrameElement) => Element|undefined} blocked shows a placeholder for a frame not allowed yet
 */
export function createGate(doc, has, blocked) {
  /** @type {WeakSet<Element>} */
  const handled = new WeakSet();
  /** @type {WeakMap<Element, Element|undefined>} the placeholder of each frame waiting for consent */
  const waiting = new WeakMap();

  /**
   * Activate the granted gated elements in `root` (itself included).
   * @param {Element|Document} root
   */
  const activate = (root) => {
    /** @type {Array<HTMLScriptElement|HTMLIFrameElement>} */
    const found = [];
    /** @param {Element} element */
    const consider = (element) => {
      const gated = /** @type {HTMLScriptElement|HTMLIFrameElement} */ (element);
      if (handled.has(gated)) return;
      if (has(gated.dataset.consent || "")) {
        handled.add(gated);
        found.push(gated);
      } else if (gated.tagName === "IFRAME" && !waiting.has(gated)) waiting.set(gated, blocked(/** @type {HTMLIFrameElement} */ (gated)));
    };
    if (/** @type {Element} */ (root).matches?.(GATED)) consider(/** @type {Element} */ (root));
    root.querySelectorAll(GATED).forEach(consider);
    run(found, 0);
  };

  /**
   * Run `list` from `index` on; an external script continues the list once it has loaded.
   * @param {Array<HTMLScriptElement|HTMLIFrameElement>} list
   * @param {number} index
   */
  const run = (list, index) => {
    for (; index < list.length; index++) {
      const inert = list[index];
      if (inert.tagName === "IFRAME") {
        /** @type {HTMLIFrameElement} */ (inert).src = inert.dataset.src || "";
        waiting.get(inert)?.remove();
        continue;
      }
      const live = doc.createElement("script");
      for (const attribute of inert.attributes) {
        const name = attribute.name;
        if (name !== "type" && name !== "data-consent") live.setAttribute(name, name === "src" ? trusted().createScriptURL(attribute.value) : attribute.value);
      }
      if (inert.nonce) live.nonce = inert.nonce;
      if (inert.src) {
        live.async = false;
        const next = index + 1;
        live.onload = live.onerror = () => run(list, next);
        inert.replaceWith(live);
        return;
      }
      live.textContent = trusted().createScript(inert.textContent || "");
      inert.replaceWith(live);
    }
  };

  /** Watch for gated content added after load; only added elements are looked at. */
  const observe = () => {
    // Without MutationObserver, content added later is activated on the next choice.
    guard(() => {
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          for (const node of mutation.addedNodes) if (node.nodeType === 1) activate(/** @type {Element} */ (node));
        }
      }).observe(doc.documentElement, { childList: true, subtree: true });
    });
  };

  return { activate, observe };
}

/**
 * Run `task` once the document has parsed (now, if it has).
 * @param {Document} doc
 * @param {() => void} task
 */
export function whenParsed(doc, task) {
  // Whatever fails in a deferred step stays inside the banner.
  const guarded = () => guard(task);
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", guarded);
  else guarded();
}
