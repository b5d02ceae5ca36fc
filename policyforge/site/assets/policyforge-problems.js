// policyforge serve: reload into the policy once the source is fixed.
(function () {
  function check() {
    fetch(location.href, {cache: "no-store"}).then(function (response) {
      return response.text();
    }).then(function (text) {
      if (text.indexOf("data-pf-problems") < 0) { location.reload(); } else { setTimeout(check, 1000); }
    }, function () { setTimeout(check, 2000); });
  }
  setTimeout(check, 1000);
})();
