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

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
