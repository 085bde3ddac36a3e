// Copy buttons: the portal's only script. Without it the links are plain
// text to select; with it each [data-copy] button copies its value.
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("button[data-copy]");
  if (!b || !navigator.clipboard) return;
  navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
    b.textContent = "Copied";
  });
});
document.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
