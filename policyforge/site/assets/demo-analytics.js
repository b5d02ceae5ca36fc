/* Stand-in for an analytics script: runs only after consent to "analytics". */
(function () {
  document.cookie = "_pf_demo_analytics=1; max-age=31536000; path=/; SameSite=Lax";
  window.__analyticsRan = true;
  var out = document.getElementById("analytics-status");
  if (out) out.textContent = "loaded: cookie _pf_demo_analytics set";
})();
