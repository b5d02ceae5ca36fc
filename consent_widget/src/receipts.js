/**
 * Consent receipts: proof of what a visitor chose, for the site's records (GDPR art. 7(1)).
 *
 * When the project sets `consent.receipts_url`, the configuration carries `receipts` ({url})
 * and every decision is sent there as one receipt, format 2 (docs/receipts.md has the format):
 * the random consent id of the record, the action, the categories granted and refused, the
 * consent revision (the service resolves the policy version in effect from it and the time), the
 * Global Privacy Control flag, the page's language and origin, and the visitor's clock. Never the IP address,
 * the user agent or anything else about the visitor.
 *
 * Sending never blocks and never fails the banner: `navigator.sendBeacon` queues the receipt
 * (it survives the reload that follows a withdrawal), and `fetch` with `keepalive` is the
 * fallback. The body is text/plain, so no CORS preflight is needed.
 */

import { guard, swallow } from "./debug.js";
import { consentKeys } from "./model.js";

/**
 * The receipt format this banner sends: 2 (the revision names the banner; no version or hash), or 3 when the
 * choice names services (`category:service` in `granted` and `refused`) or leaves a category undecided (in
 * neither list), which format 2 cannot say.
 */
export const RECEIPT_FORMAT = 3;

/**
 * The receipt action of a decision: a choice that takes back a category granted before, and
 * `reset()`, are withdrawals; the settings layer's "save", a write of the page API ("set") and a placeholder's
 * "allow" are custom choices.
 * @param {import("./model.js").Decision} decision
 * @returns {string} "accept", "reject", "custom", "gpc" or "withdraw"
 */
export function receiptAction(decision) {
  const action = decision.action;
  const custom = action === "save" || action === "set" || action === "allow";
  if (action === "reset" || (decision.withdrawn.length && (action === "reject" || custom))) return "withdraw";
  return custom ? "custom" : action;
}

/**
 * The first well-formed BCP 47 tag of the two (main.js passes the language the banner shows, then the
 * page's `<html lang>`), else "und".
 * @param {string} declared
 * @param {string} [fallback]
 */
export function pageLanguage(declared, fallback) {
  for (const tag of [declared, fallback]) if (tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/.test(tag)) return tag;
  return "und";
}

/**
 * The receipt of one decision, or null when there is nothing to prove (no record before or after).
 * @param {import("./model.js").Config} config
 * @param {import("./model.js").Decision} decision
 * @param {{signal: boolean, origin: string, language: string, now: number}} page
 */
export function buildReceipt(config, decision, page) {
  const record = decision.record || decision.previous;
  if (!record || !config.receipts) return null;
  /** @type {string[]} */
  const granted = [];
  /** @type {string[]} */
  const refused = [];
  const now = decision.record;
  const decided = now ? { ...now.c, ...now.s } : {};
  let partial = false;
  for (const key of consentKeys(config)) {
    const cat = key.split(":")[0];
    // listed: what the record decides (a service too when its category is decided); all of it after a reset
    if (!now || key in decided || (cat !== key && cat in decided)) (decision.categories[key] ? granted : refused).push(key);
    if (cat !== key || (now && !(key in decided))) partial = true;
  }
  // Quoted keys: the build mangles some internal property names (`granted`), never quoted ones.
  return {
    "format": partial ? RECEIPT_FORMAT : 2, "consent_id": record.id, "action": receiptAction(decision), "granted": granted,
    "refused": refused, "revision": config.revision, "gpc": page.signal, "language": page.language, "origin": page.origin,
    "client_time": new Date(page.now).toISOString(),
  };
}

/**
 * Send a receipt without waiting for an answer; the banner works the same when the endpoint is down.
 * @param {Window} win
 * @param {string} url
 * @param {object} receipt
 */
export function sendReceipt(win, url, receipt) {
  const body = JSON.stringify(receipt);
  // sendBeacon refuses (false) when its queue is full, and may be missing or throw in odd frames.
  if (guard(() => win.navigator.sendBeacon(url, body), false)) return;
  // Without a beacon the receipt is lost, never the page: fetch may be missing or throw as well.
  guard(() => {
    const init = { method: "POST", body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } };
    win.fetch(url, /** @type {RequestInit} */ (init)).catch(
      // An unreachable endpoint is the site's problem to monitor, not the visitor's.
      (/** @type {unknown} */ error) => swallow(error),
    );
  });
}
