// Optional proof of work: while the visitor fills the form, find a nonce such that
// SHA-256(challenge + ":" + nonce) starts with enough zero bits. A solved puzzle earns a larger
// rate-limit allowance; without JavaScript the form works exactly the same.
(function () {
  "use strict";
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  if (!window.fetch) { return; }
  var challengeInput = document.querySelector("input[data-pow-challenge]");
  var nonceInput = document.querySelector("input[data-pow-nonce]");
  if (!challengeInput || !nonceInput) { return; }
  // The page is the same for every visitor (it comes from the page cache); each visitor's
  // challenge comes from our own server, fetched here.
  var challenge = "";
  var bits = 16;
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count++; b <<= 1; }
      break;
    }
    return count;
  }

  var nonce = 0;
  function work() {
    var batch = [];
    for (var i = 0; i < 64; i++) {
      var candidate = String(nonce++);
      batch.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + candidate))
        .then(function (c) { return function (digest) { return [c, digest]; }; }(candidate)));
    }
    Promise.all(batch).then(function (results) {
      for (var j = 0; j < results.length; j++) {
        if (zeroBits(new Uint8Array(results[j][1])) >= bits) {
          nonceInput.value = results[j][0];
          return;
        }
      }
      if (nonce < 50000000) { setTimeout(work, 0); }
    });
  }
  fetch(challengeInput.getAttribute("data-pow-challenge"), {credentials: "same-origin", cache: "no-store"})
    .then(function (response) { return response.ok ? response.text() : ""; })
    .then(function (text) {
      if (!text) { return; }
      challenge = text.trim();
      bits = parseInt(challenge.split(":")[0].split(".").pop(), 10) || 16;
      challengeInput.value = challenge;
      work();
    })
    .catch(function () { /* no challenge: the form works as without JavaScript */ });
}());
