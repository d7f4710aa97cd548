// The "Print" buttons of the assembly sheets and the courier manifest. A file of its own, not an onclick in the
// page, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
