// Comfort only: without this file, choosing a country marked as dangerous and pressing a
// button brings the same warning from the server, before anything is stored.
"use strict";

function setUpSafetyWarnings() {
  const warnings = document.querySelectorAll("[data-safety-country]");
  if (!warnings.length) return;
  const buttons = document.querySelector("[data-letter-buttons]");
  const selects = document.querySelectorAll("select[name=country]");

  function show(code, select) {
    let shown = null;
    warnings.forEach(function (warning) {
      warning.hidden = warning.dataset.safetyCountry !== code;
      if (!warning.hidden) shown = warning;
    });
    // No button that sends the letter form while such a country is chosen.
    if (buttons) buttons.hidden = shown !== null;
    selects.forEach(function (other) {
      if (other !== select) other.value = code;
    });
    if (shown) {
      shown.scrollIntoView({ block: "start" });
    }
  }

  selects.forEach(function (select) {
    select.addEventListener("change", function () { show(select.value, select); });
  });
  const chosen = Array.from(selects).find(function (select) { return select.value; });
  if (chosen) show(chosen.value, chosen);
}

document.addEventListener("DOMContentLoaded", setUpSafetyWarnings);
