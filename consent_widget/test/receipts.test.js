// Unit tests of the receipt a decision produces (src/receipts.js): `node --test test/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createConsent } from "../src/model.js";
import { buildReceipt, pageLanguage, receiptAction, sendReceipt } from "../src/receipts.js";

/** @returns {import("../src/model.js").Config} */
function config(receipts = true) {
  return {
    cookie: "pf_consent", revision: "rev2", policyUrl: "/", changesUrl: "", lifetimeDays: 180,
    texts: {},
    categories: [
      { id: "essential", title: "E", description: "", required: true },
      { id: "analytics", title: "A", description: "" },
      { id: "ads", title: "M", description: "" },
    ],
    ...(receipts ? { receipts: { url: "https://consent.example/receipts" } } : {}),
  };
}

const env = { now: () => 1700000000000, randomId: () => "fresh-id-0001" };
const page = { signal: false, origin: "https://shop.example", language: "de-CH", now: 1700000000123 };

test("every field of a custom choice's receipt", () => {
  const consent = createConsent(config(), null, false, env);
  const decision = consent.choose("save", { analytics: true, ads: false });
  assert.deepEqual(buildReceipt(config(), decision, page), {
    format: 2, consent_id: "fresh-id-0001", action: "custom", granted: ["essential", "analytics"], refused: ["ads"],
    revision: "rev2", gpc: false, language: "de-CH",
    origin: "https://shop.example", client_time: "2023-11-14T22:13:20.123Z",
  });
});

test("actions: accept, reject, gpc, and taking back a grant is a withdrawal that keeps the consent id", () => {
  const consent = createConsent(config(), null, false, env);
  assert.equal(receiptAction(consent.choose("accept")), "accept");
  const withdrawn = consent.choose("save", { analytics: false, ads: true });
  assert.equal(receiptAction(withdrawn), "withdraw");
  assert.equal(buildReceipt(config(), withdrawn, page).consent_id, "fresh-id-0001");
  assert.equal(receiptAction(consent.choose("reject")), "withdraw"); // ads was still granted
  assert.equal(receiptAction(consent.choose("reject")), "reject");
  const reset = consent.choose("reset");
  const receipt = buildReceipt(config(), reset, page);
  assert.equal(receipt.action, "withdraw");
  assert.equal(receipt.consent_id, "fresh-id-0001"); // the record is gone; the receipt names the one withdrawn
  assert.deepEqual([receipt.granted, receipt.refused], [["essential"], ["analytics", "ads"]]);
  const gpc = createConsent(config(), null, true, env).choose("gpc");
  assert.deepEqual({ ...buildReceipt(config(), gpc, { ...page, signal: true }) }.action, "gpc");
  assert.equal(buildReceipt(config(), gpc, { ...page, signal: true }).gpc, true);
});

test("no receipt without receipts configured, or with nothing to prove", () => {
  const decision = createConsent(config(false), null, false, env).choose("accept");
  assert.equal(buildReceipt(config(false), decision, page), null);
  const nothing = createConsent(config(), null, false, env).choose("reset");
  assert.equal(buildReceipt(config(), nothing, page), null);
});

test("pageLanguage takes the page's tag, then the browser's, and never sends junk", () => {
  assert.equal(pageLanguage("en-GB", "fr"), "en-GB");
  assert.equal(pageLanguage("", "fr"), "fr");
  assert.equal(pageLanguage("<script>", "x".repeat(50)), "und");
});

test("sendReceipt uses sendBeacon, and fetch with keepalive when the beacon is refused", async () => {
  const sent = [];
  const win = {
    navigator: { sendBeacon: (url, body) => (sent.push(["beacon", url, body]), sent.length < 2) },
    fetch: (url, init) => (sent.push(["fetch", url, init.body, init.keepalive]), Promise.reject(new Error("down"))),
  };
  sendReceipt(/** @type {any} */ (win), "https://r.example/receipts", { a: 1 });
  sendReceipt(/** @type {any} */ (win), "https://r.example/receipts", { a: 2 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(sent, [
    ["beacon", "https://r.example/receipts", '{"a":1}'],
    ["beacon", "https://r.example/receipts", '{"a":2}'],
    ["fetch", "https://r.example/receipts", '{"a":2}', true],
  ]);
});

test("format 3: services as category:service, undecided categories in neither list", () => {
  const cfg = {
    revision: "abcdef012345", receipts: { url: "/r" },
    categories: [
      { id: "essential", required: true },
      { id: "analytics" },
      { id: "marketing", services: [{ id: "youtube", cookies: [] }, { id: "vimeo", cookies: [] }] },
    ],
  };
  const consent = createConsent(/** @type {any} */ (cfg), null, false, { now: () => 1, randomId: () => "id-1234567" });
  const page = { signal: false, origin: "https://a.example", language: "en", now: 1 };
  const allowed = buildReceipt(/** @type {any} */ (cfg), consent.choose("allow", { "marketing:youtube": true }), page);
  assert.deepEqual([allowed.format, allowed.action, allowed.granted, allowed.refused],
    [3, "custom", ["essential", "marketing:youtube"], []]);
  const rejected = buildReceipt(/** @type {any} */ (cfg), consent.choose("reject"), page);
  assert.deepEqual([rejected.format, rejected.granted, rejected.refused],
    [3, ["essential"], ["analytics", "marketing", "marketing:youtube", "marketing:vimeo"]]);
  const plain = { ...cfg, categories: cfg.categories.slice(0, 2) };
  const two = createConsent(/** @type {any} */ (plain), null, false, { now: () => 1, randomId: () => "id-1234567" });
  assert.equal(buildReceipt(/** @type {any} */ (plain), two.choose("accept"), page).format, 2);
});

test("a write of the page API is a custom choice, or a withdrawal when it takes a grant back", () => {
  const consent = createConsent(config(), null, false, env);
  assert.equal(receiptAction(consent.choose("set", { analytics: true })), "custom");
  assert.equal(receiptAction(consent.choose("set", { analytics: false })), "withdraw");
});
