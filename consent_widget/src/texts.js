/**
 * Where each banner text sits in `config.texts`: the build inlines these indices, and the assembly
 * (policyforge/banner/assemble.py, `TEXT_KEYS`) writes the texts as an array in this order, so that
 * neither the script nor the configuration spells out the keys (a test compares the two lists).
 */

export const TITLE = 0;
export const TEXT = 1;
export const ACCEPT = 2;
export const REJECT = 3;
export const CUSTOMIZE = 4;
export const SAVE = 5;
export const CLOSE = 6;
export const POLICY_LINK = 7;
export const SETTINGS_TITLE = 8;
export const ALWAYS_ON = 9;
export const GPC = 10;
export const CHANGED = 11;
export const CHANGED_LINK = 12;
/** The labels of a declared cookie's four fields (name, provider, purpose, duration): 13 to 16. */
export const NAME = 13;
export const COOKIES = 17;
export const FRAME = 18;
export const ALLOW = 19;
export const CONSENT_ID = 20;
export const CHOSEN_ON = 21;
