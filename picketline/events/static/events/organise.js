// Live counts for organisers: refresh the numbers every 15 seconds. The page works without it.
"use strict";

(function () {
  function refresh(box) {
    fetch(box.dataset.countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts) {
          return;
        }
        Array.prototype.forEach.call(box.querySelectorAll("[data-count]"), function (cell) {
          var value = counts[cell.dataset.count];
          if (value !== undefined && value !== null) {
            cell.textContent = String(value);
          }
        });
      })
      .catch(function () { /* offline for a moment: keep the last numbers */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-counts-url]");
    if (box) {
      window.setInterval(function () { refresh(box); }, 15000);
    }
  });
})();
