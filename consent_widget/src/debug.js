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
 * Swallow an error on purpose, logging it in debug mode (its stack says where; the comment above each
 * `guard` or `catch` in the source says why going on is right).
 * @param {unknown} error what was thrown
 */
export function swallow(error) {
  if (debug.on) console.warn("policyforge:", error);
}

/**
 * Run `task`; if it throws, swallow the error and return `fallback`.
 * @template T
 * @param {() => T} task
 * @param {T} [fallback]
 * @returns {T}
 */
export function guard(task, fallback) {
  try {
    return task();
  } catch (error) {
    // The caller's comment says why this error may be swallowed.
    swallow(error);
    return /** @type {T} */ (fallback);
  }
}
