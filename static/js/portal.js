// The script every page loads (as a module, after the design system's own):
// it starts the design system's components (the mobile menu among them) and, when
// a form comes back with errors, moves the focus to the "There is a problem"
// summary so a screen reader announces it and the keyboard starts from it.
const DS = window.DS;
if (DS && typeof DS.initAll === "function") {
  DS.initAll();
}

const summary = document.querySelector(".ds_error-summary");
if (summary) {
  summary.focus();
}
