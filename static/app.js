// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce what went wrong.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Ask before irreversible one-button actions (ending a membership, publishing rules).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
