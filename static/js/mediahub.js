// Small behaviours of the page shell: theme switch and the phone menu.
(() => {
  const root = document.documentElement;
  const order = ["auto", "light", "dark"];
  document.querySelector(".theme-toggle")?.addEventListener("click", () => {
    const next = order[(order.indexOf(root.dataset.theme) + 1) % order.length];
    root.dataset.theme = next;
    localStorage.setItem("mediahub-theme", next);
  });
  const toggle = document.querySelector(".nav-toggle");
  toggle?.addEventListener("click", () => {
    const open = document.getElementById("main-nav").classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
})();
