// Comfort only: every page works without this file.
"use strict";

// Copy-to-clipboard buttons: the text sits in a readonly input that anyone can select by hand;
// with JavaScript, a button beside it copies it in one go.
function copyText(input) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(input.value);
  }
  // Plain HTTP (the demo, an .onion address): the older way still works.
  input.select();
  const done = document.execCommand && document.execCommand("copy");
  return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

function setUpCopyButtons() {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    const status = button.parentElement.querySelector(".copy__status");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          if (status) status.textContent = button.dataset.copied;
        },
        function () {
          input.focus();
          input.select();
        }
      );
    });
  });
  // A click into a hashtag selects all of it, ready to copy by hand.
  document.querySelectorAll("input.copy__text").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
}

document.addEventListener("DOMContentLoaded", setUpCopyButtons);

// A form sent back with mistakes puts the keyboard on its summary of them. Autofocus does it
// without JavaScript, but where the form's address names a part of the page ("#register"), the
// browser skips autofocus and clears the focus while it scrolls there, until the page has
// loaded: then the summary takes it, unless the visitor has already moved on.
function focusFormErrors() {
  const summary = document.querySelector("[data-form-errors]");
  const nothingFocused = !document.activeElement || document.activeElement === document.body;
  if (summary && nothingFocused) summary.focus();
}

window.addEventListener("load", focusFormErrors);
