/**
 * Where each banner text (and the two links, which differ per language too) sits in `config.texts`: the
 * build inlines these indices, and the assembly
 * (policyforge/banner/assemble.py, `TEXT_KEYS`) writes the texts as an array in this order, so that
 * neither the script nor the configuration spells out the keys (a test compares the two lists).
 */

/** The policy page and the change pages (a template with `{revision}`, or ""), in the language shown. */
export const POLICY_URL = 0;
export const CHANGES_URL = 1;
export const TITLE = 2;
export const TEXT = 3;
export const ACCEPT = 4;
export const REJECT = 5;
export const CUSTOMIZE = 6;
export const SAVE = 7;
export const CLOSE = 8;
export const POLICY_LINK = 9;
export const SETTINGS_TITLE = 10;
export const ALWAYS_ON = 11;
export const GPC = 12;
export const CHANGED = 13;
export const CHANGED_LINK = 14;
/** The labels of a declared cookie's four fields (name, provider, purpose, duration): 15 to 18. */
export const NAME = 15;
export const COOKIES = 19;
export const FRAME = 20;
export const ALLOW = 21;
export const CONSENT_ID = 22;
export const CHOSEN_ON = 23;
/** The opt-out link's label ("Your Privacy Choices"), carried only when a region is opt-out. */
export const PRIVACY_CHOICES = 24;
