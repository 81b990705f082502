// Initialise DKFDS components (accordions, dropdowns, character limits...). Kept out of the HTML for the CSP.
if (window.DKFDS) { window.DKFDS.init(); }
// Move focus to a form's error summary so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
