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

  // Drag a habit to reorder it; the up/down buttons do the same without a mouse.
  function sortableHabits() {
    var list = document.querySelector("[data-reorder-url]");
    if (!list) return;
    var dragged = null;
    list.querySelectorAll("li[data-habit-id]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
        dragged = null;
        saveOrder(list);
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
    });
  }

  function saveOrder(list) {
    var body = new URLSearchParams();
    list.querySelectorAll("li[data-habit-id]").forEach(function (item) { body.append("order", item.dataset.habitId); });
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    fetch(list.dataset.reorderUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "HX-Request": "true" }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    prefillTimezone();
    fillLocalTime();
    sortableHabits();
  });
  document.addEventListener("htmx:afterSwap", fillLocalTime);
})();

// ---- Habit form (issue 12) ------------------------------------------------------------------
// The server marks parts that do not apply with `hidden` (a target for a yes/no habit, weekdays
// for a daily one); here they follow the choices as they change. Without this file every part shows.
(function () {
  "use strict";

  function showWhatApplies(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (part) {
      var rule = part.dataset.showWhen.split("=");
      var control = form.elements[rule[0]];  // a radio group's value is its checked radio's
      part.hidden = !control || control.value !== rule[1];
    });
  }

  // Picking an emoji clears the typed one, and typing one unpicks the row, so only one shows as chosen.
  function iconPicker(picker) {
    var typed = picker.querySelector("input[type=text]");
    if (!typed) return;
    picker.addEventListener("change", function (event) {
      if (event.target.type === "radio") typed.value = "";
    });
    typed.addEventListener("input", function () {
      if (!typed.value.trim()) return;
      picker.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-show-what-applies]").forEach(function (form) {
      showWhatApplies(form);  // the browser may have restored other choices (back button)
      form.addEventListener("change", function () { showWhatApplies(form); });
    });
    document.querySelectorAll("[data-icon-picker]").forEach(iconPicker);
  });
})();

// A form sent back with errors: the summary at its top takes focus, so a keyboard or screen-reader
// user starts from the list of what to fix (each item links to its field).
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
