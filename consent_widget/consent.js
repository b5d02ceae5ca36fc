/*
 * policyforge consent banner. Plain ES2018, no dependencies, no eval, no inline
 * styles, no HTML parsing of config text. The UI lives in an open shadow root on
 * <policyforge-consent>; the CSS is adopted as a constructable stylesheet.
 *
 * policyforge.widget.assemble() replaces the two marker tokens below with the
 * JSON config and the CSS string and minifies this file with simple rules, so:
 * comments only on lines of their own, no template literals, no regex literals
 * or division (no "/" in code outside strings), every statement ends with ";".
 */
(function () {
  const W = window, D = document, P = W.policyforge = W.policyforge || {};
  if (P.consent) return;
  const C = __PF_CONFIG__, CSS = __PF_CSS__, T = C.texts, K = C.cookie, R = C.categories, L = [],
    GPC = !!C.gpcSupported && navigator.globalPrivacyControl === true;
  let H, S, B, lay = 0, prev;

  // createElement helper: tag, parent, class, text, attributes
  const E = (t, p, c, x, a) => {
    const e = D.createElement(t);
    if (c) e.className = c;
    if (x) e.textContent = x;
    for (const k in a) e.setAttribute(k, a[k]);
    if (p) p.appendChild(e);
    return e;
  };
  const when = f => {
    const g = () => {
      try {
        f();
      } catch (e) {}
    };
    if (D.readyState == "loading") D.addEventListener("DOMContentLoaded", g);
    else g();
  };

  // cookies: every access may throw (sandboxed frames, hostile pages)
  const setc = (n, v, x) => {
    try {
      D.cookie = n + "=" + v + x + ";SameSite=Lax" + (location.protocol == "https:" ? ";Secure" : "");
    } catch (e) {}
  };
  const read = () => {
    try {
      for (const s of D.cookie.split(";")) {
        const i = s.indexOf("=");
        if (s.slice(0, i).trim() == K) {
          const r = JSON.parse(decodeURIComponent(s.slice(i + 1)));
          if (r && r.v === 1 && r.c) return r;
        }
      }
    } catch (e) {}
    return null;
  };
  let rec = read();
  // a record counts only for the current revision; an explicit one is not GPC-derived
  const ok = () => !!rec && rec.r == C.revision;
  const has = id => R.some(c => c.id == id && (!!c.required || (ok() && rec.c[id] === true)));

  // Google Consent Mode v2
  const GCM = R.some(c => c.gcm && c.gcm.length);
  const gt = (m, f) => {
    if (!GCM) return;
    const o = {};
    for (const c of R) {
      for (const t of c.gcm || []) {
        const g = f(c);
        if (!o[t] || g) o[t] = g ? "granted" : "denied";
      }
    }
    if (m == "default") o.wait_for_update = 500;
    try {
      W.gtag("consent", m, o);
    } catch (e) {}
  };
  if (GCM && typeof W.gtag != "function") {
    W.dataLayer = W.dataLayer || [];
    W.gtag = function () {
      W.dataLayer.push(arguments);
    };
  }
  gt("default", c => c.required);
  if (ok()) gt("update", c => has(c.id));

  // gating: text/plain scripts and data-src iframes, in document order, once
  const act = () => {
    const l = [];
    D.querySelectorAll("script[type='text/plain'][data-consent],iframe[data-consent][data-src]").forEach(e => {
      if (!e.pfDone && has(e.dataset.consent)) {
        e.pfDone = 1;
        l.push(e);
      }
    });
    const run = i => {
      for (; i < l.length; i++) {
        const o = l[i];
        if (o.tagName == "IFRAME") {
          o.src = o.dataset.src;
          continue;
        }
        const n = D.createElement("script");
        for (const a of o.attributes) {
          if (a.name != "type" && a.name != "data-consent") n.setAttribute(a.name, a.value);
        }
        if (o.nonce) n.nonce = o.nonce;
        if (o.src) {
          n.async = false;
          n.onload = n.onerror = () => run(i + 1);
          o.replaceWith(n);
          return;
        }
        n.textContent = o.textContent;
        o.replaceWith(n);
      }
    };
    run(0);
  };
  // names in the cookie jar that a declared name matches ("*" stands for any run of characters)
  const names = p => {
    if (p.indexOf("*") < 0) return [p];
    const q = p.split("*"), out = [];
    try {
      for (const s of D.cookie.split(";")) {
        const n = s.split("=")[0].trim();
        let i = 0, m = n.startsWith(q[0]) && n.endsWith(q[q.length - 1]);
        for (const x of q) {
          const j = n.indexOf(x, i);
          if (j < 0) m = false;
          i = j + x.length;
        }
        if (m && n) out.push(n);
      }
    } catch (e) {}
    return out;
  };
  const wipe = c => {
    for (const k of c.cookies || []) {
      const x = ";path=" + (k.path || "/") + ";max-age=0";
      for (const n of names(k.name)) {
        if (k.domain) setc(n, "", x + ";domain=" + k.domain);
        setc(n, "", x);
      }
    }
  };
  const all = v => {
    const o = {};
    for (const c of R) o[c.id] = v;
    return o;
  };
  // store a choice (g: derived from GPC, not an explicit choice)
  const save = (ch, g) => {
    const o = {};
    for (const c of R) o[c.id] = !!(c.required || ch[c.id]);
    rec = {v: 1, c: o, r: C.revision, p: C.version, t: Date.now(), id: (rec && rec.id) || crypto.getRandomValues(new Uint32Array(4)).join("-"), gpc: !!g};
    setc(K, encodeURIComponent(JSON.stringify(rec)), ";path=/;max-age=" + C.lifetimeDays * 86400);
    for (const c of R) {
      if (!o[c.id]) wipe(c);
    }
    if (g) return;
    gt("update", c => o[c.id]);
    act();
    close();
    D.dispatchEvent(new CustomEvent("policyforge:consent", {detail: rec}));
    for (const f of L) {
      try {
        f(rec);
      } catch (e) {}
    }
  };

  // UI: an open shadow root on <policyforge-consent>
  const close = () => {
    if (!B) return;
    const f = S.activeElement;
    B.remove();
    B = null;
    lay = 0;
    if (f && prev) prev.focus();
  };
  const clk = e => {
    const t = e.target.closest("[data-action]");
    const a = t && t.dataset.action;
    if (!a) return;
    if (a == "close") close();
    else if (a == "choose") open(2);
    else if (a == "save") {
      const o = {};
      B.querySelectorAll("input").forEach(i => {
        o[i.dataset.c] = i.checked;
      });
      save(o);
    } else save(all(a == "accept"));
  };
  const key = e => {
    if (!B) return;
    if (e.key == "Escape") {
      e.preventDefault();
      if (lay > 1 && (!ok() || rec.gpc)) open(1);
      else close();
    } else if (e.key == "Tab") {
      const f = B.querySelectorAll("button,a[href],input:enabled"), a = S.activeElement, z = f[f.length - 1];
      if (e.shiftKey ? a == f[0] || a == B : a == z) {
        e.preventDefault();
        (e.shiftKey ? z : f[0]).focus();
      }
    }
  };
  const open = n => {
    if (!H) {
      H = D.createElement("policyforge-consent");
      S = H.attachShadow({mode: "open"});
      try {
        const s = new CSSStyleSheet();
        s.replaceSync(CSS);
        S.adoptedStyleSheets = [s];
      } catch (e) {}
      S.addEventListener("click", clk);
      S.addEventListener("keydown", key);
    }
    if (!H.isConnected) D.body.appendChild(H);
    if (B) B.remove();
    else prev = D.activeElement;
    lay = n;
    B = E("div", S, "box", "", {role: "dialog", "aria-labelledby": "pf-t", tabindex: "-1", "data-layer": n});
    E("button", B, "x", "\u00d7", {"data-action": "close", "aria-label": T.close});
    E("h2", B, "t", n > 1 ? T.settingsTitle : T.title, {id: "pf-t"});
    let bs = [["accept", T.accept], ["reject", T.reject], ["choose", T.customize]];
    if (n < 2) {
      B.setAttribute("aria-describedby", "pf-d");
      E("a", E("p", B, "d", T.text + " ", {id: "pf-d"}), "", T.policyLink, {href: C.policyUrl});
      if (rec && !ok()) {
        const p = E("p", B, "n changed", T.changed + " ");
        if (C.changesUrl && rec.p) {
          E("a", p, "", T.changedLink, {href: C.changesUrl.replace("{version}", encodeURIComponent(rec.p))});
        }
      }
      if (GPC && (!rec || rec.gpc)) E("p", B, "n gpc", T.gpc);
    } else {
      bs = [["save", T.save], bs[0], bs[1]];
      const w = E("div", B, "cats");
      R.forEach((c, j) => {
        const s = E("div", w, "cat", "", {"data-category": c.id, "data-required": !!c.required});
        const l = E("label", s, "row");
        const i = E("input", l, "", "", {type: "checkbox", "data-c": c.id, "aria-describedby": "pf-c" + j});
        i.checked = has(c.id);
        i.disabled = !!c.required;
        E("span", l, "pf-cat-title", c.title);
        if (c.required) E("span", l, "on", T.alwaysOn);
        E("p", s, "pf-cat-desc", c.description, {id: "pf-c" + j});
        if (c.cookies && c.cookies.length) {
          const tb = E("table", s);
          const h = E("tr", E("thead", tb));
          for (const k of ["cookieName", "provider", "purpose", "duration"]) E("th", h, "", T[k]);
          const b = E("tbody", tb);
          for (const k of c.cookies) {
            const r = E("tr", b, "", "", {"data-cookie": k.name});
            for (const v of [k.name, k.provider, k.purpose, k.duration]) E("td", r, "", v);
          }
        }
      });
    }
    const f = E("div", B, "bs");
    for (const b of bs) E("button", f, "b", b[1], {"data-action": b[0]});
    B.focus({preventScroll: true});
  };

  D.addEventListener("click", e => {
    const t = e.target;
    if (t && t.closest && t.closest("[data-policyforge-settings]")) {
      e.preventDefault();
      when(() => open(2));
    }
  });
  P.consent = {
    get: () => (ok() ? rec : null),
    has,
    show: () => when(() => open(2)),
    reset: () => {
      setc(K, "", ";path=/;max-age=0");
      rec = null;
      when(() => open(1));
    },
    on: (t, f) => {
      if (t == "change") L.push(f);
    }
  };
  // the notice first (it is what the visitor waits for), then the gated content already allowed
  const start = () => {
    if (!ok()) {
      // GPC without an explicit choice: store the refusal so the notice shows once
      if (GPC && (!rec || rec.gpc)) save(all(false), 1);
      open(1);
    }
  };
  // the banner shows as soon as <body> exists (an async script can run while the page still parses);
  // gated content is activated once the whole document is there
  if (D.body) {
    try {
      start();
    } catch (e) {}
  } else when(start);
  when(act);
})();
