// An email shown in the browser lives in its own frame (its styles stay its own); the frame takes the
// email's full height once it has loaded, and again when the window's width reflows it.
(function () {
  function fit(frame) {
    var doc = frame.contentDocument;
    // Until the email has loaded the frame holds an empty about:blank document: nothing to measure yet.
    if (!doc || !doc.documentElement || doc.URL === "about:blank" || doc.readyState !== "complete") return;
    // Collapse to the stylesheet's min-height first: a frame taller than its email would measure itself.
    frame.style.height = "0px";
    frame.style.height = doc.documentElement.scrollHeight + "px";
    frame.dataset.fitted = "true";
  }
  document.querySelectorAll("iframe[data-fit-content]").forEach(function (frame) {
    frame.addEventListener("load", function () { fit(frame); });
    window.addEventListener("resize", function () { fit(frame); });
    fit(frame);
  });
})();
