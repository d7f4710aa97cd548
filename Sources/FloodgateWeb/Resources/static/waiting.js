// The waiting room tries again by itself: it counts down the seconds the shop asked for (the number in the
// page), then reloads the page, or posts the refused form again as it was. A file of its own, not a script in
// the page, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  var shown = document.getElementById("countdown");
  if (!shown) { return; }
  var left = parseInt(shown.textContent, 10);
  if (!(left > 0)) { left = 5; }
  var timer = setInterval(function () {
    left -= 1;
    if (left > 0) { shown.textContent = left; return; }
    clearInterval(timer);
    var form = document.getElementById("retry-form");
    if (form) { form.submit(); } else { location.reload(); }
  }, 1000);
})();
