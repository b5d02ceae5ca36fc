// Unit tests of the banner's pure logic (src/model.js): `node --test test/` (run by `make test`).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  consentModeState, cookiePairs, cookieValues, copyRecord, createConsent, matchName, optOutRegion, parentDomains, parseRecord,
  pathPrefixes, pickLanguage, readRecord, textSwitch,
} from "../src/model.js";

/** @returns {import("../src/model.js").Config} */
function config() {
  return {
    cookie: "pf_consent", revision: "rev2", policyUrl: "/", changesUrl: "", lifetimeDays: 180,
    texts: {},
    categories: [
      { id: "essential", title: "E", description: "", required: true, gcm: ["security_storage"] },
      { id: "analytics", title: "A", description: "", required: false, gcm: ["analytics_storage"] },
      { id: "ads", title: "M", description: "", required: false, gcm: ["ad_storage", "analytics_storage"] },
    ],
  };
}

const env = { now: () => 1700000000000, randomId: () => "fresh-id" };

/** A stored record, URI-encoded as the cookie holds it. */
function cookieValue(fields) {
  return encodeURIComponent(JSON.stringify({ v: 1, c: { essential: true, analytics: true, ads: true }, r: "rev2", p: "x", t: 1, id: "old-id", gpc: false, auto: false, ...fields }));
}

test("cookieValues finds every cookie of exactly that name, in order", () => {
  assert.deepEqual(cookieValues("a=1; pf_consent=x; pf_consent2=y;pf_consent=z", "pf_consent"), ["x", "z"]);
  assert.deepEqual(cookieValues("", "pf_consent"), []);
  assert.deepEqual(cookieValues("x_pf_consent=1; =2", "pf_consent"), []);
  // a nameless cookie (no "=") is not one called by the start of its value
  assert.deepEqual(cookieValues("pf_consentX; pf_consent=a=b", "pf_consent"), ["a=b"]);
});

// Every character with Unicode's White_Space property, the byte-order mark and the zero-width characters:
// the browser keeps them in a cookie's name (only ASCII space and tab are stripped, RFC 6265).
const LOOKALIKE_CHARACTERS = [
  ...Array.from({ length: 0x110000 }, (_, code) => String.fromCodePoint(code)).filter((ch) => /^\p{White_Space}$/u.test(ch)),
  "\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u180e",
].filter((ch) => ch !== " " && ch !== "\t");

test("cookie names are exact: only the ASCII spaces and tabs of the separator are stripped", () => {
  assert.equal(LOOKALIKE_CHARACTERS.length, 29);
  assert.deepEqual(cookiePairs("a=1;\t b=2;c; d="), [["a", "1"], ["b", "2"], ["", "c"], ["d", ""]]);
  for (const ch of LOOKALIKE_CHARACTERS) {
    const jar = `${ch}pf_consent=before; pf_consent${ch}=after; =${ch}pf_consent=nameless; pf_consent=own`;
    assert.deepEqual(cookiePairs(jar).map((pair) => pair[0]), [ch + "pf_consent", "pf_consent" + ch, "", "pf_consent"]);
    assert.deepEqual(cookieValues(jar, "pf_consent"), ["own"], `U+${ch.codePointAt(0).toString(16)}`);
    assert.equal(cookiePairs(`a=${ch}x${ch}`)[0][1], `${ch}x${ch}`);
  }
  // the prefix in another case is another name
  assert.deepEqual(cookieValues("__host-pf_consent=1; __HOST-pf_consent=2; __Host-PF_CONSENT=3", "__Host-pf_consent"), []);
});

test("readRecord: a look-alike of the record's name is neither the record nor a conflict", () => {
  const forged = cookieValue({});
  for (const ch of LOOKALIKE_CHARACTERS) {
    const lookalikes = `${ch}__Host-pf_consent=${forged}; __Host-pf_consent${ch}=${forged}; __host-pf_consent=${forged}`;
    assert.deepEqual(readRecord(lookalikes, "__Host-pf_consent"), { record: null, conflict: false });
    const own = readRecord(`${lookalikes}; __Host-pf_consent=${cookieValue({ c: { essential: true, analytics: false } })}`, "__Host-pf_consent");
    assert.equal(own.conflict, false);
    assert.deepEqual(own.record.c, { essential: true, analytics: false });
  }
});

test("readRecord: one well-formed cookie is a record; two, or one unreadable, are a conflict", () => {
  const one = readRecord("a=1; pf_consent=" + cookieValue({}), "pf_consent");
  assert.equal(one.conflict, false);
  assert.deepEqual(one.record.c, { essential: true, analytics: true, ads: true });
  const two = readRecord("pf_consent=" + cookieValue({}) + "; pf_consent=" + cookieValue({ c: {} }), "pf_consent");
  assert.deepEqual(two, { record: null, conflict: true });
  assert.deepEqual(readRecord("pf_consent=%E0%A4%A", "pf_consent"), { record: null, conflict: true });
  assert.deepEqual(readRecord("other=1", "pf_consent"), { record: null, conflict: false });
});

test("parseRecord refuses anything but a record of format 1 or 2 with boolean choices", () => {
  for (const bad of ["yes", "null", "[1]", '{"v":3,"c":{},"r":"x"}', '{"v":1,"c":7,"r":"x"}', '{"v":1,"c":{"a":"yes"},"r":"x"}', '{"v":1,"c":{}}']) {
    assert.equal(parseRecord(encodeURIComponent(bad)), null, bad);
  }
  assert.equal(parseRecord(encodeURIComponent('{"v":1,"c":{},"r":"x","gpc":false}')).r, "x");
});

test("matchName: exact names, and * for any run of characters", () => {
  assert.ok(matchName("_ga", "_ga"));
  assert.ok(!matchName("_ga", "_ga_X"));
  assert.ok(matchName("_ga_*", "_ga_ABC123"));
  assert.ok(matchName("_ga_*", "_ga_"));
  assert.ok(!matchName("_ga_*", "_gat"));
  assert.ok(matchName("a*b*c", "a-b-c") && matchName("a*b*c", "abc") && !matchName("a*b*c", "acb"));
  assert.ok(matchName("x.(y)+*", "x.(y)+1") && !matchName("x.(y)+*", "xx(y)+1"), "regex characters are literal");
  // exact: no look-alike of a name, and `*` is any run of characters, line separators included
  assert.ok(!matchName("_ga", "\u00a0_ga") && !matchName("_ga", "_ga\u3000") && !matchName("_ga", "_GA"));
  assert.ok(matchName("_ga_*", "_ga_\u2028x") && matchName("*", "\n") && !matchName("_ga_*", "\ufeff_ga_1"));
});

test("parentDomains walks up to the last two labels; none for IPs and single labels", () => {
  assert.deepEqual(parentDomains("a.www.example.co.uk"), ["a.www.example.co.uk", "www.example.co.uk", "example.co.uk", "co.uk"]);
  assert.deepEqual(parentDomains("www.example.test"), ["www.example.test", "example.test"]);
  assert.deepEqual(parentDomains("127.0.0.1"), []);
  assert.deepEqual(parentDomains("localhost"), []);
  assert.deepEqual(parentDomains("::1"), []);
});

test("pathPrefixes lists every path a visible cookie can have", () => {
  assert.deepEqual(pathPrefixes("/").sort(), ["/"]);
  assert.deepEqual(pathPrefixes("/a/b.html").sort(), ["/", "/a", "/a/", "/a/b.html"]);
  assert.deepEqual(pathPrefixes("/docs/").sort(), ["/", "/docs", "/docs/"]);
});

test("consentModeState: a type is granted when any granted category governs it", () => {
  const cfg = config();
  assert.deepEqual(consentModeState(cfg, (id) => id === "essential"),
    { security_storage: "granted", analytics_storage: "denied", ad_storage: "denied" });
  assert.deepEqual(consentModeState(cfg, (id) => id !== "analytics"),
    { security_storage: "granted", analytics_storage: "granted", ad_storage: "granted" });
  assert.equal(consentModeState({ ...cfg, categories: [{ id: "x", title: "", description: "", required: true }] }, () => true), null);
});

test("has: required always; optional only with a current record", () => {
  const cfg = config();
  const fresh = createConsent(cfg, null, false, env);
  assert.deepEqual(fresh.granted(), { essential: true, analytics: false, ads: false });
  assert.equal(fresh.has("unknown"), false);
  assert.equal(fresh.undecided(), true);
  const stored = parseRecord(cookieValue({}));
  assert.equal(createConsent(cfg, stored, false, env).has("analytics"), true);
  const outdated = parseRecord(cookieValue({ r: "rev1" }));
  const old = createConsent(cfg, outdated, false, env);
  assert.equal(old.has("analytics"), false);
  assert.equal(old.undecided(), true);
});

test("choose builds the record, keeps the consent id and reports withdrawals to subscribers", () => {
  const consent = createConsent(config(), parseRecord(cookieValue({})), false, env);
  const seen = [];
  consent.subscribe((decision) => seen.push(decision));
  consent.subscribe(() => {
    throw new Error("a failing listener does not stop the others");
  });
  consent.subscribe((decision) => seen.push(decision.action));
  const decision = consent.choose("save", { analytics: true, ads: false, essential: false });
  assert.deepEqual(decision.record, {
    v: 2, c: { essential: true, analytics: true, ads: false }, r: "rev2", t: 1700000000000,
    id: "old-id", gpc: false, auto: false,
  });
  assert.deepEqual(decision.withdrawn, ["ads"]);
  assert.deepEqual(decision.categories, { essential: true, analytics: true, ads: false });
  assert.equal(decision.previous.c.ads, true);
  assert.deepEqual(seen, [decision, "save"]);
  assert.deepEqual(consent.choose("accept").withdrawn, []);
  const reset = consent.choose("reset");
  assert.equal(reset.record, null);
  assert.deepEqual(reset.withdrawn, ["analytics", "ads"]);
  assert.equal(createConsent(config(), null, false, env).choose("reject").record.id, "fresh-id");
});

test("GPC: refuses whatever was stored, unless the visitor chose after the signal", () => {
  const cfg = config();
  const earlier = createConsent(cfg, parseRecord(cookieValue({})), true, env);
  assert.equal(earlier.has("analytics"), false, "an accept from before the signal does not count");
  assert.equal(earlier.signalUnanswered(), true);
  const auto = earlier.choose("gpc");
  assert.equal(auto.record.gpc, true);
  assert.equal(auto.record.auto, true);
  assert.deepEqual(auto.withdrawn, [], "nothing was granted under the signal");
  assert.equal(earlier.signalUnanswered(), false, "told once");
  assert.equal(earlier.undecided(), false);
  const optIn = earlier.choose("save", { analytics: true });
  assert.equal(optIn.record.gpc, true);
  assert.equal(optIn.record.auto, false);
  assert.equal(earlier.has("analytics"), true, "a choice made after the signal counts");
  // an automatic refusal does not count as a choice once the signal is gone
  assert.equal(createConsent(cfg, auto.record, false, env).undecided(), true);
  // the policy may not honour GPC at all: then the model is built with signal = false
  assert.equal(createConsent(cfg, parseRecord(cookieValue({})), false, env).has("analytics"), true);
});

test("copyRecord is deep: changing the copy leaves the record alone", () => {
  const record = parseRecord(cookieValue({}));
  const copy = copyRecord(record);
  copy.c.analytics = false;
  copy.r = "forged";
  assert.equal(record.c.analytics, true);
  assert.equal(record.r, "rev2");
  assert.equal(copyRecord(null), null);
});

test("a record from before `auto` existed keeps its refusal, with or without the signal", () => {
  // an automatic refusal of that time: gpc set, every optional category refused, no `auto`
  const raw = JSON.stringify({ v: 1, c: { essential: true, analytics: false, ads: false }, r: "rev2", p: "x", t: 1, id: "i", gpc: true });
  for (const signal of [true, false]) {
    const old = createConsent(config(), parseRecord(encodeURIComponent(raw)), signal, env);
    assert.equal(old.has("analytics"), false);
    assert.ok(!old.undecided(), "a refusal is kept: nobody is asked again because a field is missing");
    assert.equal(old.signalUnanswered(), false);
  }
});

test("pickLanguage: each wanted tag in order, exactly or by its primary subtag", () => {
  const available = ["en", "de", "pt-BR", "pt-PT", "ar"];
  assert.equal(pickLanguage(available, ["de-AT"]), "de");
  assert.equal(pickLanguage(available, ["fr", "DE"]), "de");
  assert.equal(pickLanguage(available, ["pt-pt"]), "pt-PT", "an exact match before a primary-subtag match");
  assert.equal(pickLanguage(available, ["pt"]), "pt-BR");
  assert.equal(pickLanguage(available, [undefined, "", "ja", "ar-EG"]), "ar");
  assert.equal(pickLanguage(available, ["ja", undefined]), undefined);
  assert.equal(pickLanguage(["en"], ["e", "n"]), undefined, "no partial matches");
});

test("textSwitch fills texts, category titles, descriptions and cookie purposes, and switches back", () => {
  const cfg = {
    ...config(), lang: "en", texts: ["Cookies", "We use cookies.", "Accept all"],
    categories: [{ id: "a", title: "Analytics", description: "Counts", cookies: [["_a", "Us", "Counts visits", "1 year"]] }],
    l: { de: [0, "Wir verwenden Cookies.", "Alle akzeptieren", "Analyse", 0, "Zählt Besuche"], fr: ["Témoins"] },
  };
  const texts = cfg.texts;
  const use = textSwitch(cfg);
  use("de");
  assert.equal(cfg.texts, texts, "the same array: the view holds it");
  assert.deepEqual(texts, ["Cookies", "Wir verwenden Cookies.", "Alle akzeptieren"]);
  assert.deepEqual([cfg.categories[0].title, cfg.categories[0].description, cfg.categories[0].cookies[0][2]],
    ["Analyse", "Counts", "Zählt Besuche"]);
  assert.equal(cfg.categories[0].cookies[0][3], "1 year", "durations are the original's");
  use("fr");
  assert.deepEqual(texts, ["Témoins", "We use cookies.", "Accept all"], "past its end: the default language's");
  assert.equal(cfg.categories[0].title, "Analytics");
  use("en");
  assert.deepEqual(texts, ["Cookies", "We use cookies.", "Accept all"]);
  assert.equal(cfg.categories[0].cookies[0][2], "Counts visits");
});

test("records of format 2 (keyed by the revision) and format 1 (with the policy version) are read; others not", () => {
  const format1 = parseRecord(cookieValue({}));
  assert.equal(format1.r, "rev2");
  const format2 = parseRecord(cookieValue({ v: 2, p: undefined }));
  assert.equal(format2.r, "rev2");
  assert.equal(createConsent(config(), format1, false, env).has("analytics"), true, "a format 1 choice still counts");
  assert.equal(createConsent(config(), format2, false, env).has("analytics"), true);
  for (const v of [0, 3, "2"]) assert.equal(parseRecord(cookieValue({ v })), null, `format ${v}`);
  // the record written names the revision only: a release that keeps the revision writes the same record
  assert.equal("p" in createConsent(config(), null, false, env).choose("accept").record, false);
});

test("a write naming some categories (the page API) leaves the others undecided until the visitor chooses", () => {
  const consent = createConsent(config(), null, false, env);
  const first = consent.choose("set", { analytics: true });
  assert.deepEqual(first.record.c, { essential: true, analytics: true }, "ads is left out of the record: undecided");
  assert.deepEqual(first.added, ["analytics"]);
  assert.deepEqual(first.withdrawn, []);
  assert.equal(consent.has("analytics"), true);
  assert.equal(consent.has("ads"), false);
  assert.equal(consent.undecided(), true, "the notice is still offered");
  assert.equal(createConsent(config(), first.record, false, env).undecided(), true, "on the next page too");
  const second = consent.choose("set", { ads: false, essential: false });
  assert.deepEqual(second.record.c, { essential: true, analytics: true, ads: false }, "earlier choices kept; essential stays");
  assert.deepEqual([second.added, second.withdrawn], [[], []]);
  assert.equal(consent.undecided(), false);
  const third = consent.choose("set", { ads: true, analytics: false });
  assert.deepEqual([third.added, third.withdrawn], [["ads"], ["analytics"]]);
  // the visitor's "Save choices" names every category, as before
  assert.deepEqual(consent.choose("save", { essential: true, analytics: false, ads: false }).record.c,
    { essential: true, analytics: false, ads: false });
});

test("a partial write starts from the choices that answer the notice: a GPC refusal's while the signal is on", () => {
  const outdated = createConsent(config(), parseRecord(cookieValue({ r: "rev1" })), false, env);
  assert.deepEqual(outdated.choose("set", { ads: true }).record.c, { essential: true, ads: true });
  const current = createConsent(config(), parseRecord(cookieValue({})), false, env);
  assert.deepEqual(current.choose("set", { ads: false }).record.c, { essential: true, analytics: true, ads: false });
  const signalled = createConsent(config(), null, true, env);
  signalled.choose("gpc");
  assert.equal(signalled.undecided(), false, "the automatic refusal answers the notice while the signal is on");
  const optIn = signalled.choose("set", { analytics: true });
  assert.deepEqual(optIn.record.c, { essential: true, analytics: true, ads: false }, "the signal refused ads");
  assert.equal(optIn.record.auto, false);
  assert.equal(signalled.has("analytics"), true);
  assert.equal(signalled.undecided(), false);
  // once the signal is gone, its automatic refusal is nobody's choice: a write leaves the rest undecided
  const gone = createConsent(config(), createConsent(config(), null, true, env).choose("gpc").record, false, env);
  assert.deepEqual(gone.choose("set", { analytics: true }).record.c, { essential: true, analytics: true });
});

test("optOutRegion: the subdivision's mode, else its country's; missing or garbage is opt-in", () => {
  const regions = { US: 1, "US-CO": 0, "CA-QC": 1 };
  assert.equal(optOutRegion(regions, "US-CA"), true); // from its country
  assert.equal(optOutRegion(regions, "us"), true);
  assert.equal(optOutRegion(regions, " US-NY "), true);
  assert.equal(optOutRegion(regions, "US-CO"), false); // its own, more specific
  assert.equal(optOutRegion(regions, "CA-QC"), true);
  assert.equal(optOutRegion(regions, "CA"), false);
  for (const garbage of [undefined, "", "XX", "USA", "US-CA-1", "US_CA", "US-", "<US>", "constructor", "__proto__"]) {
    assert.equal(optOutRegion(regions, garbage), false, String(garbage));
  }
  assert.equal(optOutRegion(undefined, "US-CA"), false); // a policy without regional rules
});

test("opt-out region: on until the visitor refuses, in any revision; optIn categories and the signal opt in", () => {
  const cfg = { ...config(), optOut: true };
  cfg.categories = [...cfg.categories, { id: "health", title: "H", description: "", required: false, optIn: true }];
  const fresh = createConsent(cfg, null, false, env);
  assert.deepEqual(fresh.granted(), { essential: true, analytics: true, ads: true, health: false });
  assert.equal(fresh.undecided(), false); // no first layer to show
  // a refusal made for an earlier revision still stands; what it granted or did not know is on
  const old = { v: 2, c: { essential: true, analytics: false, ads: true }, r: "rev1", t: 1, id: "i", gpc: false, auto: false };
  assert.deepEqual(createConsent(cfg, old, false, env).granted(), { essential: true, analytics: false, ads: true, health: false });
  // an automatic refusal under a signal now gone is no choice of the visitor's
  const auto = { ...old, r: "rev2", c: { essential: true, analytics: false, ads: false }, gpc: true, auto: true };
  assert.deepEqual(createConsent(cfg, auto, false, env).granted(), { essential: true, analytics: true, ads: true, health: false });
  // with the signal on, nothing optional runs before the visitor's own choice
  const signalled = createConsent(cfg, null, true, env);
  assert.deepEqual(signalled.granted(), { essential: true, analytics: false, ads: false, health: false });
  assert.equal(signalled.signalUnanswered(), true);
  // opting out through the settings withdraws what was on by default
  const decision = fresh.choose("save", { analytics: true, health: true });
  assert.deepEqual(decision.withdrawn, ["ads"]);
  assert.deepEqual(fresh.granted(), { essential: true, analytics: true, ads: false, health: true });
});

/** The fixture config with a category of two services (issue 25). */
function withServices() {
  const c = config();
  c.categories.push({
    id: "marketing", title: "M", description: "", required: false,
    services: [
      { id: "youtube", title: "YouTube", description: "", cookies: ["yt"] },
      { id: "vimeo", title: "Vimeo", description: "", cookies: ["vm"] },
    ],
  });
  return c;
}

test("has: a service when it or its whole category is granted; unknown services never", () => {
  const saved = createConsent(withServices(), null, false, env);
  saved.choose("save", { "marketing:youtube": true });
  assert.deepEqual(["marketing", "marketing:youtube", "marketing:vimeo"].map(saved.has), [false, true, false]);
  assert.deepEqual(saved.record().s, { "marketing:youtube": true, "marketing:vimeo": false });
  assert.equal(saved.has("marketing:tiktok") || saved.has("marketing:youtube:x") || saved.has("essential:x"), false);
  saved.choose("save", { marketing: true });
  assert.deepEqual(["marketing", "marketing:youtube", "marketing:vimeo"].map(saved.has), [true, true, true]);
  const decision = saved.choose("save", { "marketing:vimeo": true });
  assert.deepEqual(decision.withdrawn, ["marketing", "marketing:youtube"]);
});

test("allow grants what it names and decides nothing else: the visitor is still asked", () => {
  const consent = createConsent(withServices(), null, false, env);
  consent.choose("allow", { "marketing:youtube": true });
  assert.deepEqual(consent.record().c, { essential: true });
  assert.deepEqual(consent.record().s, { "marketing:youtube": true });
  assert.equal(consent.undecided(), true);
  consent.choose("allow", { analytics: true });
  assert.deepEqual(consent.record().c, { essential: true, analytics: true });
  assert.deepEqual(consent.record().s, { "marketing:youtube": true });
  assert.equal(consent.undecided(), true);
  consent.choose("allow", { marketing: true, ads: true });
  assert.equal(consent.undecided(), false);
  // a refusal the visitor made stays
  consent.choose("reject");
  consent.choose("allow", { "marketing:vimeo": true });
  assert.deepEqual(consent.record().c, { essential: true, analytics: false, ads: false, marketing: false });
  assert.equal(consent.undecided(), false);
  assert.deepEqual(parseRecord(encodeURIComponent(JSON.stringify(consent.record()))), consent.record());
  assert.equal(parseRecord(encodeURIComponent(JSON.stringify({ ...consent.record(), s: { "marketing:vimeo": 1 } }))), null);
});

test("set decides the services it names too, and keeps those it does not name", () => {
  const consent = createConsent(withServices(), null, false, env);
  const youtube = consent.choose("set", { "marketing:youtube": true });
  assert.deepEqual([youtube.record.c, youtube.record.s], [{ essential: true }, { "marketing:youtube": true }]);
  assert.deepEqual(youtube.added, ["marketing:youtube"]);
  const whole = consent.choose("set", { marketing: true });
  assert.deepEqual(whole.added, ["marketing", "marketing:vimeo"]);
  const refused = consent.choose("set", { marketing: false });
  assert.deepEqual(refused.withdrawn, ["marketing", "marketing:vimeo"], "youtube, allowed on its own, stays");
  assert.equal(consent.has("marketing:youtube"), true);
  assert.deepEqual(consent.choose("set", { "marketing:youtube": false }).withdrawn, ["marketing:youtube"]);
});

test("opt-out region: a service is on until the visitor refuses it, or its category without granting it", () => {
  const consent = createConsent({ ...withServices(), optOut: true }, null, false, env);
  assert.deepEqual(["marketing", "marketing:youtube", "marketing:vimeo"].map(consent.has), [true, true, true]);
  consent.choose("save", { analytics: true, ads: true, "marketing:youtube": true });
  assert.deepEqual(["marketing", "marketing:youtube", "marketing:vimeo"].map(consent.has), [false, true, false]);
});
