// Comfort only: every events page works without this file.
"use strict";

(function () {
  if (window.picketlineEvents) {
    return;  // included by several blocks of one page
  }
  window.picketlineEvents = true;
  var browserZone = "";
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    browserZone = "";
  }
  var lang = document.documentElement.lang || undefined;

  // The visitor's own time, when their zone differs from the event's.
  function showLocalTimes() {
    var spans = document.querySelectorAll("[data-local-time]");
    Array.prototype.forEach.call(spans, function (span) {
      if (!browserZone || browserZone === span.dataset.zone) {
        return;
      }
      var start = new Date(span.dataset.starts);
      var end = new Date(span.dataset.ends);
      var day = new Intl.DateTimeFormat(lang, {
        weekday: "short", day: "numeric", month: "long", timeZone: browserZone
      });
      var time = new Intl.DateTimeFormat(lang, {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: browserZone
      });
      span.textContent = " · " + span.dataset.label + ": " + day.format(start) + ", " +
        time.format(start) + "–" + time.format(end) + " (" + browserZone + ")";
      span.hidden = false;
    });
  }

  // Click-to-load: the player's address is requested only after the visitor presses the
  // button. Nothing in the page's address or markup loads it by itself: a link can be shared
  // or planted, a click is the visitor's own.
  function loadPlayer(box) {
    var frame = document.createElement("iframe");
    frame.src = box.dataset.embed;
    frame.title = box.dataset.title || "";
    frame.className = "player__frame";
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "no-referrer");
    var button = box.querySelector("[data-player-load]");
    if (button) {
      button.replaceWith(frame);
    } else {
      box.appendChild(frame);
    }
  }

  function setUpPlayers() {
    var boxes = document.querySelectorAll("[data-player][data-embed]");
    Array.prototype.forEach.call(boxes, function (box) {
      var button = box.querySelector("[data-player-load]");
      if (!button) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () { loadPlayer(box); });
    });
  }

  // Registration forms: the browser's zone, so reminders show the registrant's own time.
  function fillZones() {
    var inputs = document.querySelectorAll("input[data-browser-zone]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (browserZone && !input.value) {
        input.value = browserZone;
      }
    });
  }

  function start() {
    showLocalTimes();
    setUpPlayers();
    fillZones();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
