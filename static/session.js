// The session screen's live vote counts: read the state every few seconds and
// update the numbers in place (an aria-live region announces the change).
(() => {
  const screen = document.querySelector("[data-state-url]");
  if (!screen) return;
  const url = screen.dataset.stateUrl;
  async function refresh() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const state = await response.json();
      document.querySelectorAll(".vote-count[data-item]").forEach((box) => {
        const item = state.items[box.dataset.item];
        if (!item) return;
        for (const key of ["yes", "no", "abstain", "missing"]) {
          const target = box.querySelector(`[data-count="${key}"]`);
          if (target && target.textContent !== String(item[key])) target.textContent = item[key];
        }
      });
    } catch (error) {
      // The next round tries again; the page itself always shows the saved state.
    }
  }
  setInterval(refresh, 3000);
})();
