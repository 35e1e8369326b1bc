// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce what went wrong.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // The skip link and the error summary's links move focus without putting a #fragment
  // in the address: the page's form posts to that address, and on the page that comes
  // back the browser would give focus to the fragment's target instead of the summary.
  document.querySelectorAll(".skip-link, .error-summary a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  });

  // Ask before irreversible one-button actions (ending a membership, publishing rules).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
