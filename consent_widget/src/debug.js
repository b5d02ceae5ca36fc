/**
 * Swallowed errors, made visible on request.
 *
 * The banner must never throw into the host page, so a few operations that the page or the
 * browser may forbid (cookies in a sandboxed frame, storage in a privacy mode, a page's own
 * gtag) are wrapped. Each wrapper names why it swallows; with the debug flag on
 * (`<script src=".../consent.js" data-debug>`), every swallowed error is logged.
 */

/** Whether swallowed errors are logged (set from the script tag's `data-debug`). */
export const debug = { on: false };

/**
 * Swallow an error on purpose, logging it in debug mode.
 * @param {string} why what failed and why going on is right
 * @param {unknown} error what was thrown
 */
export function swallow(why, error) {
  if (debug.on) console.warn("policyforge: " + why, error);
}

/**
 * Run `task`; if it throws, swallow the error with `why` and return `fallback`.
 * @template T
 * @param {string} why
 * @param {() => T} task
 * @param {T} [fallback]
 * @returns {T}
 */
export function guard(why, task, fallback) {
  try {
    return task();
  } catch (error) {
    // The caller's `why` says why this error may be swallowed.
    swallow(why, error);
    return /** @type {T} */ (fallback);
  }
}
