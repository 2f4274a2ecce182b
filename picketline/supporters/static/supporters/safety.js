// Comfort only: without this file, sending a form with a country marked as dangerous brings
// the same warning from the server, before anything is stored.
"use strict";

function setUpSafetyWarnings() {
  const box = document.querySelector("[data-safety]");
  if (!box) return;
  const warnings = box.querySelectorAll("[data-safety-field]");
  const acknowledge = document.querySelector("[data-safety-acknowledge]");
  const submits = document.querySelectorAll("[data-safety-submit]");
  const fields = new Set(Array.from(warnings, function (w) { return w.dataset.safetyField; }));
  const selects = Array.from(document.querySelectorAll("select")).filter(function (select) {
    return fields.has(select.name);
  });
  const watched = new Set(selects.map(function (select) { return select.name; }));

  function update(scroll) {
    const chosen = {};
    selects.forEach(function (select) { chosen[select.name] = select.value; });
    let mayGoOn = true;
    let any = false;
    warnings.forEach(function (warning) {
      // A warning about a field without a list (a city) is the server's: left as it is.
      if (watched.has(warning.dataset.safetyField)) {
        warning.hidden = chosen[warning.dataset.safetyField] !== warning.dataset.safetyCountry;
      }
      if (!warning.hidden) {
        any = true;
        if (!("safetyMayGoOn" in warning.dataset)) mayGoOn = false;
      }
    });
    box.hidden = !any;
    if (acknowledge) acknowledge.hidden = !(any && mayGoOn);
    // No button that sends the form while a country it may never be sent from is chosen.
    submits.forEach(function (button) { button.hidden = any && !mayGoOn; });
    if (any && scroll) box.scrollIntoView({ block: "start" });
  }

  selects.forEach(function (select) {
    select.addEventListener("change", function () { update(true); });
  });
  update(false);
}

document.addEventListener("DOMContentLoaded", setUpSafetyWarnings);
