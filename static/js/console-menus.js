// The console's menus (a <details data-menu> whose .menu-panel floats over the page, like
// Exports): each opens inside the window. It drops under its button, or opens upwards where
// there is more room above; it lines up with the button's right edge, or its left edge when
// that would run off the left of the window; a panel taller than the room scrolls inside.
// Escape or a click elsewhere closes it.

const MARGIN = 8; // px kept between a menu and the window's edge

function place(menu) {
  const panel = menu.querySelector(".menu-panel");
  const button = menu.querySelector("summary");
  if (!panel || !button) return;
  menu.classList.remove("menu-up", "menu-left");
  panel.style.maxHeight = "";
  const at = button.getBoundingClientRect();
  const below = window.innerHeight - at.bottom - 2 * MARGIN;
  const above = at.top - 2 * MARGIN;
  const up = panel.scrollHeight > below && above > below;
  menu.classList.toggle("menu-up", up);
  panel.style.maxHeight = `${Math.max(0, Math.floor(up ? above : below))}px`;
  if (panel.getBoundingClientRect().left < MARGIN) menu.classList.add("menu-left");
}

function openMenus() {
  return document.querySelectorAll("details[data-menu][open]");
}

export function keepMenusInView() {
  for (const menu of document.querySelectorAll("details[data-menu]")) {
    menu.addEventListener("toggle", () => {
      if (menu.open) place(menu);
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }
  window.addEventListener("resize", () => openMenus().forEach(place));
  document.addEventListener("click", (event) => {
    for (const menu of openMenus()) {
      if (!menu.contains(event.target)) menu.open = false;
    }
  });
}
