// Initialise DKFDS components (accordions, dropdowns, character limits, the header's mobile drawer and its overflow
// menu...). Kept out of the HTML for the CSP; loaded at the end of <body>, so the page is there.
if (window.DKFDS) { window.DKFDS.init(); }

// DKFDS writes its overflow menu's button ("Mere") in Danish; give it the label of the page's language.
(function () {
  var navigation = document.querySelector(".navigation-menu[data-more-label]");
  var label = document.querySelector(".navigation-menu .more-button span");
  if (navigation && label) { label.textContent = navigation.getAttribute("data-more-label"); }
}());

// A table wider than its container scrolls inside it (DKFDS's table--responsive-scroll). While it does, the
// container takes keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
(function () {
  function markScrollingTables() {
    var wrappers = document.querySelectorAll(".table--responsive-scroll");
    for (var i = 0; i < wrappers.length; i++) {
      if (wrappers[i].scrollWidth > wrappers[i].clientWidth) {
        wrappers[i].setAttribute("tabindex", "0");
      } else {
        wrappers[i].removeAttribute("tabindex");
      }
    }
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
  window.addEventListener("load", markScrollingTables);
  document.body.addEventListener("htmx:afterSettle", markScrollingTables);
}());

// Move focus to a form's error summary so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
