/**
 * The consent model: the stored record, what is granted, and decisions.
 *
 * Pure: no DOM, no window, no cookies. The effects (effects.js) and the view (view.js) act on
 * what this module decides, and `node --test` runs it as it is (test/model.test.js).
 *
 * Hook point: every decision (a visitor's choice, `reset()`, the automatic refusal under Global
 * Privacy Control) goes through `choose()` and reaches every `subscribe()`d listener as one
 * {@link Decision}. Storing the record, deleting cookies, Consent Mode updates and the change
 * event subscribe there; a consent-receipt sender plugs in the same way.
 */

import { guard, swallow } from "./debug.js";

/**
 * The record format this banner writes. Format 2 is keyed by the consent revision alone; format 1 also
 * named the policy version (`p`), which the banner no longer knows, and is still read. Format 2 grew two
 * compatible ways (a banner that predates them reads such a record as refusing what it does not name): `c` may
 * leave out a category the visitor has not decided (a placeholder's "Allow" decides one only), and `s` holds
 * services decided one by one, as `category:service`.
 */
export const RECORD_FORMAT = 2;

/**
 * @typedef {[name: string, provider: string, purpose: string, duration: string, path?: string, storage?: string]} DeclaredItem
 * A cookie or storage key a category declares: its exact name (`*` stands for any run of characters),
 * provider, purpose, duration, cookie path (default "/") and where it lives ("local", "session"; default
 * a cookie). An array: the configuration spells no keys (policyforge/banner/assemble.py, `compact`).
 */

/**
 * @typedef {object} Category
 * @property {string} id
 * @property {string} title
 * @property {string} description
 * @property {boolean} required essential: always granted
 * @property {string[]} [gcm] Google Consent Mode types it governs
 * @property {boolean} [optIn] opt-in in opt-out regions too (the policy's `opt_out: false`)
 * @property {DeclaredItem[]} [cookies]
 * @property {Service[]} [services] services the visitor can allow one by one; the category grants them all
 */

/**
 * @typedef {object} Service A service inside a category: `data-consent="category:id"` gates its content.
 * @property {string} id
 * @property {string} title its name
 * @property {string} description
 * @property {string[]} cookies the names of the category's declared items it sets
 * @property {string} [recipient] who provides it (none: the site itself)
 */

/**
 * @typedef {object} Config The banner configuration the build inlines.
 * @property {string} cookie name of the record cookie
 * @property {string} revision consent revision: a stored choice counts only for this one
 * @property {number} lifetimeDays
 * @property {string[]} texts the banner's texts and links (policy page, change pages), by the indices of texts.js
 * @property {Category[]} categories
 * @property {string} lang the language of `texts` and `categories` (the default language)
 * @property {Object<string, Array<string|0>>} [l] the texts of each other language: one string per slot
 *   ({@link textSlots}), 0 (or a missing tail) where it equals the default language's
 * @property {string} [dir] the direction of the current texts, "ltr" or "rtl" (set by main.js)
 * @property {string} [jar] the record cookie's name as it is set here: `__Host-` + `cookie` on https (set by main.js)
 * @property {boolean} [modal] modal mode: the page is inert while a layer is open (set by main.js)
 * @property {string} [layout] "box" or "bar" (set by main.js from `data-layout`)
 * @property {string} [position] where the layout sits: "bottom", "top", "bottom-left", "bottom-right", "top-left",
 *   "top-right" or "centre" (set by main.js from `data-position`; a bar is at the top or the bottom: consent.css)
 * @property {{url: string}} [receipts] where receipts go
 * @property {Object<string, number>} [regions] ISO region codes ("US", "US-CA") whose mode is not their fallback's:
 *   1 opt-out, 0 opt-in (policyforge/banner/regions.py)
 * @property {Object<string, string|number|string[]>[]} [gcmRegions] Consent Mode defaults per region
 * @property {boolean} [optOut] the visitor's region is opt-out ({@link optOutRegion}; set by main.js)
 */

/**
 * @typedef {object} ConsentRecord What the record cookie holds.
 * @property {number} v record format ({@link RECORD_FORMAT})
 * @property {Object<string, boolean>} c choice per category id; a category left out is undecided
 * @property {Object<string, boolean>} [s] choice per service decided on its own, by `category:service`
 * @property {string} r consent revision the choice was made for
 * @property {string} [p] format 1 only: the policy version the choice was made for
 * @property {number} t when (milliseconds since the epoch)
 * @property {string} id random consent id, kept across choices
 * @property {boolean} gpc the Global Privacy Control signal was on when the choice was made
 * @property {boolean} auto no choice of the visitor's: a refusal derived from the signal
 */

/**
 * @typedef {object} Decision One decision, as every subscriber receives it.
 * @property {string} action "accept", "reject", "save", "allow" (a placeholder), "reset" or "gpc" (automatic refusal)
 * @property {ConsentRecord|null} record the record now in force (null after reset)
 * @property {ConsentRecord|null} previous the record before
 * @property {Object<string, boolean>} categories what is granted now, per category id and `category:service`
 * @property {string[]} withdrawn categories and services granted before and refused now
 * @property {string[]} added categories and services refused (or undecided) before and granted now
 */

/**
 * The cookies of a `document.cookie` string as [name, raw value] pairs, in jar order; each name
 * exactly as the browser keeps it. The browser stored names and values without the ASCII spaces
 * and tabs around them (RFC 6265 strips those, and only those) and joins cookies with "; ": that
 * separator is all there is to remove. Not `trim()`, which strips Unicode spaces and the byte-order
 * mark as well: the browser keeps them in a name, so `\u00a0__Host-pf_consent` is another cookie,
 * one any subdomain may set.
 * @param {string} jar
 * @returns {string[][]}
 */
export function cookiePairs(jar) {
  return jar.split(/;[ \t]*/).map((part) => {
    const eq = part.indexOf("=");
    // without "=", the browser shows a nameless cookie's value
    return [eq < 0 ? "" : part.slice(0, eq), part.slice(eq + 1)];
  });
}

/**
 * Raw values of every cookie called exactly `name` (same characters, same case) in a
 * `document.cookie` string, in jar order.
 * @param {string} jar
 * @param {string} name
 * @returns {string[]}
 */
export function cookieValues(jar, name) {
  return cookiePairs(jar).filter((pair) => pair[0] === name).map((pair) => pair[1]);
}

/**
 * Parse a stored record; null unless it is exactly a record of this format or of format 1.
 * @param {string} raw the cookie value (URI-encoded JSON)
 * @returns {ConsentRecord|null}
 */
export function parseRecord(raw) {
  let data;
  try {
    data = JSON.parse(decodeURIComponent(raw));
  } catch (error) {
    // Not ours or damaged: it counts as no consent, which is the safe reading.
    swallow(error);
    return null;
  }
  if (!data || (data.v !== RECORD_FORMAT && data.v !== 1) || !data.c || typeof data.c !== "object" || typeof data.r !== "string") return null;
  for (const map of [data.c, data.s || {}]) for (const id in map) if (typeof map[id] !== "boolean") return null;
  // A record from before `auto` existed reads as a choice of the visitor's: an automatic refusal then
  // granted nothing, and a refusal kept is the safe reading.
  return /** @type {ConsentRecord} */ (data);
}

/**
 * Read the record from a cookie jar. More than one cookie with the record's name (one may have
 * been planted from a sibling subdomain), or one that does not parse, counts as no consent and
 * is reported as a conflict, so that the caller can remove every copy. A cookie whose name only
 * looks like it (a Unicode space or zero-width character around it, another case) is not read.
 * @param {string} jar `document.cookie`
 * @param {string} name the record cookie's name
 * @returns {{record: ConsentRecord|null, conflict: boolean}}
 */
export function readRecord(jar, name) {
  const values = cookieValues(jar, name);
  if (values.length !== 1) return { record: null, conflict: values.length > 1 };
  const record = parseRecord(values[0]);
  return { record, conflict: !record };
}

/**
 * A deep copy of a record (callers never get the model's own object).
 * @param {ConsentRecord|null} record
 * @returns {ConsentRecord|null}
 */
export function copyRecord(record) {
  return record && { ...record, c: { ...record.c }, ...(record.s && { s: { ...record.s } }) };
}

/**
 * Whether a declared name matches a cookie or key name (`*` stands for any run of characters).
 * @param {string} pattern
 * @param {string} name
 */
export function matchName(pattern, name) {
  const escaped = pattern.split("*").map((part) => part.replace(/[\\^$.+?()[\]{}|]/g, "\\$&"));
  // "s": a run of characters includes line separators (U+2028 and the like); the rest is exact
  return new RegExp("^" + escaped.join(".*") + "$", "s").test(name);
}

/**
 * The host and each parent domain, longest first, for deleting cookies a script set on a parent
 * (as Google Analytics does). The top-level label and IP addresses have no parents; the browser
 * itself refuses a public suffix such as `co.uk`, so the walk stops at the registrable domain.
 * @param {string} host `location.hostname`
 * @returns {string[]}
 */
export function parentDomains(host) {
  if (/^[\d.]*$|:/.test(host)) return [];
  const labels = host.split(".");
  const out = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join("."));
  return out;
}

/**
 * Each path a cookie visible at `pathname` may have been set for (`/`, `/a`, `/a/`, ...).
 * @param {string} pathname
 * @returns {string[]}
 */
export function pathPrefixes(pathname) {
  const out = new Set(["/", pathname]);
  pathname.replace(/\/[^/]*/g, (part, at) => {
    out.add(pathname.slice(0, at + part.length));
    out.add(pathname.slice(0, at + 1));
    return part;
  });
  return [...out];
}

/**
 * The language among `available` that best serves `wanted` (tags in order of preference): the first
 * tag matched exactly, or else by its primary subtag (`de-AT` takes `de`, `pt` takes `pt-BR`).
 * @param {string[]} available
 * @param {Array<string|undefined>} wanted
 * @returns {string|undefined}
 */
export function pickLanguage(available, wanted) {
  /** @type {(tag: string|undefined, whole?: number) => string} */
  const part = (tag, whole) => (tag + "").toLowerCase().replace(whole ? "" : /-.*/, "");
  for (const tag of wanted) {
    for (const whole of [1, 0]) {
      const found = available.find((a) => part(a, whole) === part(tag, whole));
      if (found) return found;
    }
  }
}

/**
 * A function that puts the texts of a language into the configuration: those of `config.l[lang]`, and the
 * default language's where it has none (0, or past its end). The slots it fills, in order: each text of
 * `config.texts` (the first two are the links to the policy page and the change pages, the language's own),
 * then each category's title and description, its declared items' purposes (index 2) and its services' names
 * and descriptions.
 * @param {Config} config
 * @returns {(lang: string) => void}
 */
export function textSwitch(config) {
  /** @type {Array<[any, string, string]>} [object, key, the default language's text] */
  const slots = [];
  /** @type {(object: any, key: string) => number} */
  const slot = (object, key) => slots.push([object, key, object[key]]);
  for (const key in config.texts) slot(config.texts, key);
  for (const category of config.categories) {
    // (property keys, not strings: the build renames them, consent_widget/build.mjs WIRE_KEYS)
    for (const key in { title: 0, description: 0 }) slot(category, key);
    for (const item of category.cookies || []) slot(item, "2"), slot(item, "3");
    for (const service of category.services || []) for (const key in { title: 0, description: 0 }) slot(service, key);
  }
  return (lang) => slots.forEach(([object, key, text], index) => (object[key] = (config.l || {})[lang]?.[index] || text));
}

/**
 * Each key a consent choice has: every category's id, then its services' `category:service`.
 * @param {Config} config
 * @returns {string[]}
 */
export function consentKeys(config) {
  return config.categories.flatMap((c) => [c.id, ...(c.services || []).map((s) => c.id + ":" + s.id)]);
}

/**
 * Whether the visitor's region is opt-out: the subdivision's mode if listed ("US-CA"), else its country's
 * ("US"), else opt-in. A region that is not an ISO 3166 code (missing, garbage) is opt-in.
 * @param {Object<string, number>|undefined} regions the config's `regions`
 * @param {string|undefined} region the script tag's `data-region`
 */
export function optOutRegion(regions, region) {
  const code = (region || "").trim().toUpperCase();
  if (!regions || !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(code)) return false;
  return !!(regions[code] ?? regions[code.slice(0, 2)]);
}

/**
 * Google Consent Mode state: each type is granted when a granted category governs it.
 * @param {Config} config
 * @param {(id: string) => boolean} has
 * @returns {Object<string, string>|null} null when no category names a type
 */
export function consentModeState(config, has) {
  /** @type {Object<string, string>} */
  const state = {};
  let any = false;
  for (const category of config.categories) {
    for (const type of category.gcm || []) {
      any = true;
      if (state[type] !== "granted") state[type] = has(category.id) ? "granted" : "denied";
    }
  }
  return any ? state : null;
}

/**
 * The consent state of one page view.
 * @param {Config} config
 * @param {ConsentRecord|null} stored the record read at load, if any
 * @param {boolean} signal the Global Privacy Control signal is on (and the policy honours it)
 * @param {{now: () => number, randomId: () => string}} env clock and random source
 */
export function createConsent(config, stored, signal, env) {
  let record = stored;
  /** @type {Array<(decision: Decision) => void>} */
  const listeners = [];

  /** A record exists and was made for the current consent revision. */
  const current = () => !!record && record.r === config.revision;
  /** The record answers the notice: it is current, and not an automatic refusal under a signal now gone. */
  const answered = () => current() && !(/** @type {ConsentRecord} */ (record).auto && !signal);

  /**
   * Whether a category, or a service (`category:service`), is granted. Essential ones always are; the
   * others need a current record that grants them (a service: it or its whole category), and while the
   * signal is on, a choice the visitor made after it was seen.
   * In an opt-out region (without the signal) it is on until a choice of the visitor's, of any revision,
   * refuses it (a service: it, or its category without granting it); a category marked `optIn` is opt-in there too.
   * @param {string} id
   */
  const has = (id) => {
    const cat = id.split(":")[0];
    const category = config.categories.find((c) => c.id === cat);
    if (!category || !consentKeys(config).includes(id)) return false;
    if (category.required) return true;
    if (config.optOut && !category.optIn && !signal) {
      /** @type {Object<string, boolean>} */
      const chosen = record && !record.auto ? { ...record.c, ...record.s } : {};
      return chosen[id] !== false && (chosen[id] || chosen[cat] !== false);
    }
    if (!record || !current() || (signal && !(record.gpc && !record.auto))) return false;
    return record.c[cat] === true || (record.s || {})[id] === true;
  };

  /** @returns {Object<string, boolean>} */
  const granted = () => {
    /** @type {Object<string, boolean>} */
    const out = {};
    for (const key of consentKeys(config)) out[key] = has(key);
    return out;
  };

  return {
    has,
    granted,
    current,
    /** @returns {ConsentRecord|null} the record in force (the model's own object: copy before handing out) */
    record: () => record,
    /**
     * The visitor has to be asked (never in an opt-out region): no current record, only an automatic one made under
     * a signal now gone, or one that leaves an optional category undecided (a placeholder's "Allow" or a write of the
     * page API decided some only).
     */
    undecided: () => !config.optOut
      && (!answered() || config.categories.some((c) => !c.required && !(c.id in /** @type {ConsentRecord} */ (record).c))),
    /** The signal is on and no record made under it exists: refuse automatically and say so once. */
    signalUnanswered: () => signal && (!record || !current() || !record.gpc),
    /**
     * Record a decision and tell every subscriber.
     * @param {string} action "accept", "reject", "save", "set" (a write of the page API: decide what `choices`
     *   names, keep the rest of a current record; what neither decides stays undecided), "allow" (a placeholder:
     *   the same, granting only), "reset" or "gpc"
     * @param {Object<string, boolean>} [choices] per category id and `category:service`, for "save", "set" and
     *   "allow"
     * @returns {Decision}
     */
    choose(action, choices) {
      const before = granted();
      const previous = record;
      if (action === "reset") {
        record = null;
      } else {
        const partial = action === "set" || action === "allow";
        // "set" and "allow" keep what the current record decided (an automatic refusal only while the signal is on)
        /** @type {Object<string, boolean>} */
        const kept = partial && answered() ? { .../** @type {ConsentRecord} */ (previous).c, .../** @type {ConsentRecord} */ (previous).s } : {};
        /** @type {Object<string, boolean>} */
        const c = {};
        /** @type {Object<string, boolean>} */
        const s = {};
        for (const key of consentKeys(config)) {
          const named = typeof choices?.[key] == "boolean";
          const on = action === "accept" || (named ? choices?.[key] : kept[key]) === true
            || config.categories.some((x) => x.required && x.id === key);
          const into = key.includes(":") ? s : c;
          // a category is always decided, a service when saved; "set" and "allow" decide what they name, keep the rest
          if (partial ? named || on || key in kept : into === c || action === "save") into[key] = on;
        }
        record = {
          v: RECORD_FORMAT, c, r: config.revision, t: env.now(),
          id: (previous && previous.id) || env.randomId(), gpc: signal, auto: action === "gpc",
        };
        if (Object.keys(s).length) record.s = s;
      }
      const categories = granted();
      const withdrawn = Object.keys(before).filter((id) => before[id] && !categories[id]);
      const added = Object.keys(before).filter((id) => !before[id] && categories[id]);
      /** @type {Decision} */
      const decision = { action, record, previous, categories, withdrawn, added };
      // One failing listener must not keep the others (storing, deleting, events) from running.
      for (const listener of listeners) guard(() => listener(decision));
      return decision;
    },
    /**
     * Call `listener` with every later decision (in subscription order).
     * @param {(decision: Decision) => void} listener
     */
    subscribe(listener) {
      listeners.push(listener);
    },
  };
}
