/**
 * policyforge consent banner: the entry point of its first stage. It reads the embedding options, wires the
 * model (model.js), the effects (effects.js) and the view (view.js), and publishes the page API
 * `window.policyforge.consent`. The first stage speaks one language; the second stage (settings.js: the
 * settings layer, cookie tables, every language) is loaded on demand by stage.js.
 *
 * Plain JavaScript, no dependencies, no eval, no inline styles, no HTML parsing of config text.
 * The build (`node build.mjs`) bundles and minifies these modules into dist/; policyforge then
 * replaces `__PF_CONFIG__` and `__PF_CSS__` with the first stage's configuration (its one language, the
 * site's languages in `langs`, the second stage's file and integrity in `stage`) and the first layer's stylesheet.
 *
 * Embedding options, as attributes of the script tag:
 * - `data-cookie-domain="example.com"`: share one choice across subdomains (see docs/embedding.md
 *   for the risk: any subdomain can then plant a choice);
 * - `data-reload="false"`: after a withdrawal, do not reload the page (the product stops what
 *   already runs itself, on the change event);
 * - `data-lang="de"`: the language to show (default: the page's `<html lang>`, then the browser's
 *   languages, then the first stage's; a site language the first stage does not carry comes with the
 *   second stage, and the notice waits for it; when the site has no text in it, the banner shows the first
 *   stage's texts and still declares them as `data-lang`), `data-dir="rtl"`: their direction (default: from the language);
 * - `data-region="US-CA"`: the visitor's region (ISO 3166-1 country or 3166-2 subdivision code, from the
 *   product's CDN), for the policy's regional rules; unknown or missing: opt-in;
 * - `data-modal`: modal mode (`aria-modal`, the rest of the page inert while a layer is open);
 * - `data-layout="box|bar"`, `data-position="bottom|top|bottom-left|bottom-right|top-left|top-right|centre"`:
 *   where the layers show (view.js puts them on the host element, consent.css places it; default: a box at the
 *   bottom centre; a bar spans the width, at the top or the bottom);
 * - `data-debug`: log every error the banner swallows.
 */

import { debug, guard, swallow } from "./debug.js";
import {
  consentKeys, consentModeState, copyRecord, createConsent, optOutRegion, pickLanguage, readRecord,
} from "./model.js";
import {
  consentMode, createGate, deleteDeclared, emit, ensureGtag, purgeRecord, readJar, recordCookie, storeRecord, whenParsed,
} from "./effects.js";
import { buildReceipt, pageLanguage, sendReceipt } from "./receipts.js";
import { loadStage } from "./stage.js";
import { createView } from "./view.js";

/** @type {import("./model.js").Config & {langs?: string[], stage: string[]}} */
// @ts-ignore: replaced by the build with the configuration
const config = __PF_CONFIG__;
/** @type {string} */
// @ts-ignore: replaced by the build with the stylesheet
const css = __PF_CSS__;

/** Whether this bundle sends consent receipts (the build makes one bundle with, one without). */
// @ts-ignore: replaced by the build with true or false
const RECEIPTS = __PF_RECEIPTS__;

/** Property marking the API object, so that a second copy of the script does nothing. */
const MARK = "__policyforge";

/**
 * @typedef {object} ConsentState What `ready` and `change` listeners receive.
 * @property {Object<string, boolean>} categories what is granted, per category id
 * @property {import("./model.js").ConsentRecord|null} record a copy of the current record, or null
 * @property {boolean} gpc the Global Privacy Control signal is on (and honoured)
 * @property {string} [action] for `first` and `change`: "accept", "reject", "save", "set" (a write of the page API),
 *   "allow" or "reset"; absent for `ready`
 * @property {string[]} [added] for `first` and `change`: the categories and services this decision granted
 * @property {string[]} [removed] for `first` and `change`: the categories and services this decision took back
 */

/**
 * Embedding options: the script tag's data attributes (`reload`, `cookieDomain`, `lang`, `dir`, `debug`).
 * @param {Document} doc
 * @returns {DOMStringMap}
 */
function readOptions(doc) {
  return /** @type {HTMLScriptElement|null} */ (doc.currentScript)?.dataset || {};
}

/**
 * The page API's write methods (docs/embedding.md). Each is a decision of the model, so it takes the path of a
 * visitor's click: the record, the cookie, Consent Mode, gating, receipts, the events, a reload on withdrawal.
 * @param {ReturnType<typeof createConsent>} consent
 */
function writeMethods(consent) {
  /** @param {string} action */
  const decide = (action) => () => {
    consent.choose(action);
  };
  /**
   * A choice naming some categories and services ("category:service"), over the visitor's earlier choices (the
   * model's "set"). An unknown id or a value that is not a boolean is left out (`data-debug` logs it); when nothing
   * is left, nothing is recorded.
   * @param {Array<[string, unknown]>} pairs [id, granted]
   */
  const write = (pairs) => {
    const known = pairs.filter(([id, value]) => (typeof value == "boolean" && consentKeys(config).includes(id)) || swallow("ignored: " + id));
    if (known.length) consent.choose("set", Object.fromEntries(known));
  };
  return {
    /**
     * Grant categories (and services, "category:service"), the others as they were; "all" grants every one.
     * @param {string|string[]} ids
     */
    accept: (/** @type {string|string[]} */ ids) => {
      const list = [ids].flat();
      list.includes("all") ? decide("accept")() : write(list.map((id) => [String(id), true]));
    },
    acceptAll: decide("accept"),
    rejectAll: decide("reject"),
    /**
     * A whole choice, say from the user's account: each category it names granted or refused, the others as they
     * were (undecided when never decided).
     * @param {Object<string, boolean>} choices
     */
    set: (/** @type {Object<string, boolean>} */ choices) => write(Object.entries(choices || {})),
  };
}

/** A random consent id (128 bits). */
function randomId() {
  return crypto.getRandomValues(new Uint32Array(4)).join("-");
}

/**
 * Start the banner on `win`.
 * @param {Window & {policyforge?: any}} win
 */
function start(win) {
  const doc = win.document;
  const options = readOptions(doc);
  // The second stage sits next to this file (without a current script, the URL is the page's to resolve).
  const stageUrl = guard(() => new URL(config.stage[0], /** @type {HTMLScriptElement} */ (doc.currentScript).src).href, config.stage[0]);
  debug.on = "debug" in options;
  // An own property only: a page element named "policyforge" (DOM clobbering) is not our API.
  const own = Object.hasOwn(win, "policyforge") ? win.policyforge : undefined;
  if (own && own[MARK]) return;
  const queued = Array.isArray(own) ? own.slice() : [];

  // Languages: the first stage's texts are in the config; the site's languages (`langs`) come with the second stage.
  const home = config.lang;
  const languages = config.langs || [home];
  /** @type {import("./settings.js").SecondStage|undefined} */
  let stage;
  /** @type {Promise<import("./settings.js").SecondStage|undefined>|undefined} */
  let loading;
  /** The second stage, loaded once, on demand: the settings layer, every language. */
  const second = () =>
    (loading ||= loadStage(doc, stageUrl, config.stage[1]).then((install) => {
      // A second stage that cannot install (another build's file) counts as none: the notice goes on without it.
      stage = install && guard(() => install(config));
      // (it brings the original's texts: the language shown stays)
      use(shown);
      return stage;
    }));
  /** the language whose texts are shown */
  let shown = home;
  /** @param {string} lang */
  const use = (lang) => stage?.use((shown = lang));
  /**
   * Show the texts of `lang`, declared as `tag` (the script tag's data-lang, which may name a language the
   * banner has no texts in: then its default texts are in it), in `dir` (else the direction of `lang`'s texts:
   * right to left when the build lists `lang` in `config.rtl`, from CLDR).
   * @param {string} lang
   * @param {string} [tag]
   * @param {string} [dir]
   */
  const speak = (lang, tag, dir) => {
    use(lang);
    config.lang = tag || lang;
    config.dir = dir || (/** @type {{rtl?: string[]}} */ (config).rtl?.includes(lang) ? "rtl" : "ltr");
  };
  const wanted = pickLanguage(languages, [options.lang, doc.documentElement.lang, ...win.navigator.languages]) || home;
  speak(home, wanted === home ? options.lang : home, options.dir);
  /**
   * Run `task` in the wanted language: now when the first stage carries it, else once the second stage
   * arrived (or failed: then in the first stage's).
   * @param {() => void} task
   */
  const inWanted = (task) =>
    wanted === home ? task() : second().then(() => {
      if (stage) speak(wanted, options.lang, options.dir);
      // (the notice's failure stays inside the banner)
      guard(task);
    });

  const signal = win.navigator.globalPrivacyControl === true;
  const cookie = recordCookie(config.cookie, win.location, options.cookieDomain || "");
  config.jar = cookie.name;
  config.modal = "modal" in options;
  config.layout = options.layout;
  config.position = options.position;
  config.optOut = optOutRegion(config.regions, options.region);
  const stored = readRecord(readJar(doc), cookie.name);
  if (stored.conflict) purgeRecord(doc, win.location, cookie.name);
  const consent = createConsent(config, stored.record, signal, { now: Date.now, randomId });
  /** @type {Array<(state: ConsentState) => void>} */
  const changeListeners = [];
  /** @type {Array<(state: ConsentState) => void>} */
  const readyListeners = [];
  /** @type {Array<(state: ConsentState) => void>} */
  const firstListeners = [];
  let ready = false;
  let gpcNotice = false;

  /**
   * @param {import("./model.js").Decision} [decision] for `first` and `change`: the decision and what it changed
   * @returns {ConsentState}
   */
  const snapshot = (decision) => {
    /** @type {ConsentState} */
    const state = { categories: consent.granted(), record: consent.current() ? copyRecord(consent.record()) : null, gpc: signal };
    if (decision) Object.assign(state, { action: decision.action, added: [...decision.added], removed: [...decision.withdrawn] });
    return state;
  };
  /**
   * @param {(state: ConsentState) => void} listener
   * @param {ConsentState} state
   */
  // A page listener's error is the page's: the other listeners still run.
  const call = (listener, state) => guard(() => listener(state));
  /**
   * Dispatch `policyforge:<type>`, then call each of `listeners`, each with its own copy of the state.
   * @param {string} type
   * @param {Array<(state: ConsentState) => void>} listeners
   * @param {import("./model.js").Decision} [decision]
   */
  const tell = (type, listeners, decision) => {
    emit(doc, type, snapshot(decision));
    for (const listener of listeners) call(listener, snapshot(decision));
  };

  const view = createView(doc, css, config, () => {
    const record = consent.record();
    return {
      has: consent.has, changed: !!record && !consent.current(), changedSince: record && record.r,
      gpc: gpcNotice, undecided: consent.undecided(),
      // the visitor's consent id, to quote against the receipts the site keeps
      receipt: RECEIPTS && config.receipts && record && consent.current() ? { id: record.id, time: record.t } : null,
    };
  }, (action, choices) => consent.choose(action, choices), second);
  // A gated frame waiting for consent shows a placeholder whose button grants its category or service, and
  // decides nothing else.
  const gate = createGate(doc, consent.has, (frame) => {
    const id = frame.dataset.consent || "";
    const [cat, svc] = id.split(":");
    const category = config.categories.find((c) => c.id === cat);
    const named = svc ? category?.services?.find((s) => cat + ":" + s.id === id) : category;
    return named && view.placeholder(frame, named, () => consent.choose("allow", { [id]: true }));
  });

  /** Consent Mode: send the granted types. */
  const update = () => {
    const mode = consentModeState(config, consent.has);
    if (mode) consentMode(win, "update", mode);
  };

  // Consent Mode: the default goes out now, before any later script can send a Google tag command; unless the
  // snippet's inline stub sent it (it marks its queue `consentDefault`, policyforge/banner/failsafe.py): no second default.
  if (consentModeState(config, consent.has) && !own?.consentDefault) {
    ensureGtag(win);
    const required = (/** @type {string} */ id) => config.categories.some((c) => c.id === id && c.required);
    consentMode(win, "default", { ...consentModeState(config, required), wait_for_update: 500 });
    // per region (policyforge/banner/regions.py): Google applies the most specific region's
    for (const command of config.gcmRegions || []) consentMode(win, "default", command);
  }

  // Proof of consent: one receipt per decision, when the project collects them (receipts.js).
  // Subscribed first: a withdrawal reloads the page, and the beacon must be queued before that.
  const receipts = RECEIPTS && config.receipts;
  if (receipts) {
    consent.subscribe((decision) => {
      const receipt = buildReceipt(config, decision, {
        signal, origin: win.location.origin, now: Date.now(),
        language: pageLanguage(config.lang, doc.documentElement.lang),
      });
      if (receipt) sendReceipt(win, receipts.url, receipt);
    });
  }

  // The effects of every decision.
  consent.subscribe((decision) => {
    storeRecord(doc, cookie, decision.record, config.lifetimeDays);
    for (const category of config.categories) {
      // a category not granted: its declared items go, but for those of its services still granted
      const keep = (category.services || []).flatMap((s) => (decision.categories[category.id + ":" + s.id] ? s.cookies : []));
      if (!decision.categories[category.id]) deleteDeclared(win, category, keep);
    }
    update();
    if (decision.action === "gpc") return; // automatic, at load: the ready event reports it
    gate.activate(doc);
    view.close();
    // The first choice on this browser: no record before it, or only the automatic refusal under GPC.
    if (decision.record && (!decision.previous || decision.previous.auto)) tell("first", firstListeners, decision);
    tell("change", changeListeners, decision);
    // Scripts that already run cannot be stopped: a reload is the only sure withdrawal.
    if (decision.withdrawn.length && options.reload !== "false") win.location.reload();
    else if (decision.action === "reset") whenParsed(doc, () => view.open(1));
  });

  if (consent.signalUnanswered()) {
    gpcNotice = true;
    consent.choose("gpc");
  } else if (consent.current() || config.optOut) update();

  const settings = () => whenParsed(doc, () => view.open(2));
  const consentApi = {
    /** @returns {import("./model.js").ConsentRecord|null} a copy of the current choice, or null */
    get: () => snapshot().record,
    /** @param {string} id */
    has: consent.has,
    showSettings: settings,
    show: settings,
    /** Close an open layer without deciding anything: while undecided, the notice shows again on the next page. */
    hide: () => view.close(),
    ...writeMethods(consent),
    /**
     * Switch the banner to the best match of `tag` among its languages (an open layer is shown again in it): at
     * once when the first stage carries it, else when the second stage has arrived.
     * @param {string} [tag]
     * @returns {string} the language switched to, or the one shown when `tag` matches none
     */
    language: (tag) => {
      const lang = pickLanguage(languages, [tag]);
      const go = () => {
        speak(/** @type {string} */ (lang));
        view.refresh();
      };
      // another language than the first stage's comes with the second stage: the switch follows its arrival
      if (lang) stage || lang === home ? go() : second().then((ok) => ok && go());
      return lang || config.lang;
    },
    reset: () => {
      consent.choose("reset");
    },
    /** @param {(state: ConsentState) => void} listener called once, when the choice at load is known */
    ready: (listener) => {
      if (ready) call(listener, snapshot());
      else readyListeners.push(listener);
    },
    /**
     * @param {string} type "change", "first" or "ready"
     * @param {(state: ConsentState) => void} listener
     */
    on: (type, listener) => {
      if (type === "ready") consentApi.ready(listener);
      else if (type === "change") changeListeners.push(listener);
      else if (type === "first") firstListeners.push(listener);
    },
  };
  // An own property of window: it shadows any element named "policyforge".
  win.policyforge = { [MARK]: true, consent: consentApi, push: consentApi.ready };
  for (const listener of queued) consentApi.ready(listener);

  doc.addEventListener("click", (event) => {
    const target = /** @type {Element|null} */ (event.target);
    if (target?.closest?.("[data-policyforge-settings]")) {
      event.preventDefault();
      consentApi.show();
    }
  });

  // Alt+Shift+C: to the open banner, or to the settings (docs/embedding.md).
  doc.addEventListener("keydown", (event) => {
    if (event.altKey && event.shiftKey && event.code === "KeyC") {
      event.preventDefault();
      view.reach();
    }
  });

  // The notice first (it is what the visitor waits for): as soon as <body> exists.
  const notice = () => {
    if (consent.undecided() || gpcNotice) view.open(1, true);
  };
  // Any failure stays inside the banner.
  inWanted(() => (doc.body ? guard(notice) : whenParsed(doc, notice)));
  // Then the gated content already allowed, content added later, and the ready event.
  whenParsed(doc, () => {
    // an opt-out region: the "Your Privacy Choices" link, unless the product placed its own settings link
    // (in the wanted language: another than the first stage's comes with the second stage)
    if (config.optOut && !doc.querySelector("[data-policyforge-settings]")) inWanted(view.choices);
    gate.activate(doc);
    gate.observe();
    ready = true;
    tell("ready", readyListeners.splice(0));
  });
}

// The banner never throws into the host page: if it cannot start, the page goes on without it.
guard(() => start(window));
