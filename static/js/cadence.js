// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function prefillTimezone() {
    document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      if (input.value && input.value !== "UTC") return;
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone) input.value = zone;
      } catch (e) { /* keep the server default */ }
    });
  }

  function fillLocalTime() {
    document.querySelectorAll("input[data-local-time]").forEach(function (input) {
      var now = new Date();
      input.value = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    prefillTimezone();
    fillLocalTime();
  });
  document.addEventListener("htmx:afterSwap", fillLocalTime);
})();
