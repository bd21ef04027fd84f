// Limber: the phone menu. On a narrow screen the site menu folds behind a "Menu"
// button so the first screen shows the page. Without this script the button stays
// hidden and the menu is simply open; on wider screens the stylesheet ignores it all.
const button = document.querySelector(".site-header .menu-toggle");
const list = button && document.getElementById(button.getAttribute("aria-controls"));

if (button && list) {
  const header = button.closest(".site-header");
  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  const setOpen = (open) => button.setAttribute("aria-expanded", open ? "true" : "false");

  button.addEventListener("click", () => setOpen(!isOpen()));
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });
  // The open menu lies over the page: a tap elsewhere, or Tab out of it, folds it away.
  const nav = button.parentElement;
  document.addEventListener("click", (event) => {
    if (isOpen() && !nav.contains(event.target)) { setOpen(false); }
  });
  nav.addEventListener("focusout", (event) => {
    if (isOpen() && event.relatedTarget && !nav.contains(event.relatedTarget)) { setOpen(false); }
  });
  setOpen(false);
  button.hidden = false;
  header.classList.add("has-menu");  // the stylesheet folds the list only from here on
}
