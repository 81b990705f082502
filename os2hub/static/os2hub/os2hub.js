// Initialise DKFDS components (accordions, dropdowns, character limits, the header's mobile drawer and its overflow
// menu...). Kept out of the HTML for the CSP; loaded at the end of <body>, so the page is there.
if (window.DKFDS) { window.DKFDS.init(); }

// DKFDS writes its overflow menu's button ("Mere") in Danish; give it the label of the page's language.
(function () {
  var navigation = document.querySelector(".navigation-menu[data-more-label]");
  var label = document.querySelector(".navigation-menu .more-button span");
  if (navigation && label) { label.textContent = navigation.getAttribute("data-more-label"); }
}());

// A table wider than its container scrolls inside it (DKFDS's table--responsive-scroll), as does the development
// board on a phone. While it does, the
// container takes keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
(function () {
  function markScrollingTables() {
    var wrappers = document.querySelectorAll(".table--responsive-scroll, #board");
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

// A form's error summary (components/error_summary.html, data-module="error-summary") is DKFDS's ErrorSummary:
// DKFDS.init() above moves focus to it, so screen readers announce it, and its links focus their fields.

// Content that htmx swaps in (a filtered list, a finished scan) gets DKFDS's behaviour too: DKFDS.init() ran
// once, over the page it found. Each swapped-in element is initialised here, and only it: initialising the rest
// again would bind a second click handler to every accordion button (two toggles: it would never open) and a
// second set of listeners to the header's menu. Components are DKFDS 11's own classes (window.DKFDS.Accordion,
// ...), the same list DKFDS.init() walks, without the page-wide Navigation.
(function () {
  var D = window.DKFDS;
  if (!D || !window.htmx) { return; }
  var DONE = "data-os2hub-dkfds";

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) { found.unshift(root); }
    return found.filter(function (element) {
      if (element.hasAttribute(DONE)) { return false; }
      element.setAttribute(DONE, "");
      return true;
    });
  }

  function each(root, selector, start) {
    within(root, selector).forEach(function (element) {
      try { start(element); } catch (error) { if (window.console) { window.console.error(error); } }
    });
  }

  function initialise(root) {
    each(root, ".accordion, .accordion-bordered:not(.accordion)", function (e) { new D.Accordion(e).init(); });
    each(root, ".alert.has-close", function (e) { new D.Alert(e).init(); });
    each(root, ".form-limit", function (e) { new D.CharacterLimit(e).init(); });
    each(root, ".js-checkbox-toggle-content", function (e) { new D.CheckboxToggleContent(e).init(); });
    each(root, ".js-dropdown", function (e) { new D.Dropdown(e).init(); });
    each(root, ".overflow-menu--sort", function (e) { new D.DropdownSort(e).init(); });
    each(root, ".fds-modal", function (e) { new D.Modal(e).init(); });
    each(root, ".js-menudropdown", function (e) { new D.MenuDropdown(e).init(); });
    each(root, ".js-radio-toggle-group", function (e) { new D.RadioToggleGroup(e).init(); });
    each(root, "table.table--responsive-headers, table.table-sm-responsive-headers, table.table-md-responsive-headers, table.table-lg-responsive-headers", function (e) { new D.ResponsiveTable(e); });
    each(root, "table.table--selectable", function (e) { new D.TableSelectableRows(e).init(); });
    each(root, "div.tab-container", function (e) { new D.Tabs(e).init(); });
    each(root, ".tooltip-wrapper", function (e) { new D.Tooltip(e).init(); });
    each(root, '[data-module="error-summary"]', function (e) { new D.ErrorSummary(e).init(); });
    if (D.datePicker && D.datePicker.on) { D.datePicker.on(root); }
  }

  window.htmx.onLoad(function (element) {
    // htmx also calls this once for <body> when it starts: that page is DKFDS.init()'s.
    if (element === document.body || !(element instanceof Element)) { return; }
    initialise(element);
  });
}());
