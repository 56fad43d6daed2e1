// The invitation sheet's "Print" button: shown only where a script runs (the browser's own print menu works
// everywhere).
for (const button of document.querySelectorAll("[data-ayllu-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
