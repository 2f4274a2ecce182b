// The check-in page's camera: reads a registrant's entry code (a QR code) and submits it with
// the page's own form, exactly as a typed code goes. The browser's BarcodeDetector reads it
// where there is one; elsewhere our copy of jsQR (static/events/vendor/jsqr, loaded from this
// site only when needed). Without JavaScript or a camera the page still searches by name.
"use strict";

(function () {
  var FRAME_MS = 250;

  function submitScanned(form, text) {
    var input = form.querySelector("input[name=code]");
    input.value = String(text).trim();
    form.submit();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // A function that reads one frame of the video: a promise of the text, or null.
  function makeReader(box, video) {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function () {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      });
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return loadScript(box.dataset.decoder).then(function () {
      return function () {
        var width = video.videoWidth;
        var height = video.videoHeight;
        if (!width || !height) {
          return Promise.resolve(null);
        }
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
          inversionAttempts: "dontInvert"
        });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-scanner]");
    var form = document.getElementById("scan-form");
    if (!box || !form) {
      return;
    }
    // The same path as the camera, for a test or another reader on this page.
    document.addEventListener("picketline:scanned", function (event) {
      submitScanned(form, event.detail);
    });
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return;
    }
    var start = box.querySelector("[data-scanner-start]");
    var stop = box.querySelector("[data-scanner-stop]");
    var video = box.querySelector("[data-scanner-video]");
    var status = box.querySelector("[data-scanner-status]");
    var stream = null;
    var timer = null;
    box.hidden = false;

    function halt() {
      window.clearTimeout(timer);
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
    }

    stop.addEventListener("click", halt);
    start.addEventListener("click", function () {
      status.textContent = box.dataset.waiting || "";
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          start.hidden = true;
          stop.hidden = false;
          return video.play().then(function () { return makeReader(box, video); });
        })
        .then(function (read) {
          status.textContent = box.dataset.looking || "";
          function tick() {
            if (!stream) {
              return;
            }
            read()
              .then(function (text) {
                if (text) {
                  halt();
                  submitScanned(form, text);
                } else {
                  timer = window.setTimeout(tick, FRAME_MS);
                }
              })
              .catch(function () { timer = window.setTimeout(tick, FRAME_MS); });
          }
          tick();
        })
        .catch(function () {
          halt();
          status.textContent = box.dataset.noCamera || "";
        });
    });
  });
})();
