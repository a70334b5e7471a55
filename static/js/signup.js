// Pre-selects the organisation whose email domain matches the address typed,
// unless the person has already chosen one. The server does the same match.
(function () {
  "use strict";
  var form = document.getElementById("signup-form");
  if (!form) { return; }
  var domains = JSON.parse(form.dataset.emailDomains || "{}");
  var email = form.querySelector("input[name=email]");
  var organisation = form.querySelector("select[name=organisation]");
  if (!email || !organisation) { return; }
  var chosenByPerson = organisation.value !== "";
  organisation.addEventListener("change", function () { chosenByPerson = true; });
  email.addEventListener("change", function () {
    var domain = email.value.split("@").pop().trim().toLowerCase();
    if (!chosenByPerson && domains[domain]) {
      organisation.value = String(domains[domain]);
    }
  });
})();
