/* Limber: print buttons, and routine how-to steps folded on phones.
   Everything here is an extra: without JavaScript every page still reads and prints. */
(function () {
  "use strict";
  // A routine's how-to steps start folded on a phone, so the steps list stays short;
  // printing unfolds them (and without JavaScript they are simply open).
  if (window.matchMedia("(max-width: 40rem)").matches) {
    document.querySelectorAll("details[data-collapse-on-phones]").forEach(function (d) {
      d.open = false;
    });
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-collapse-on-phones]").forEach(function (d) {
      d.open = true;
    });
  });

  // A video plays in the page only when asked: until then its site is not contacted.
  document.querySelectorAll("[data-video]").forEach(function (box) {
    var offer = box.querySelector("[data-video-offer]");
    offer.hidden = false;
    offer.querySelector("button").addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = box.getAttribute("data-video");
      frame.title = box.getAttribute("data-video-title");
      frame.allow = "fullscreen; picture-in-picture";
      frame.referrerPolicy = "strict-origin";
      frame.className = "video-frame";
      offer.replaceWith(frame);
      frame.focus();
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
