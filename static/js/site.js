// Every page: the header menu on narrow screens and the "copy link" buttons.
// Without JavaScript the menu's links simply stay visible and the link is there to select by hand.
import { copyText } from "./copy.js";

const gettext = window.gettext || ((s) => s);

const header = document.querySelector(".topbar");
const menuButton = header && header.querySelector(".menu-button");
if (menuButton) {
  menuButton.hidden = false;
  header.classList.add("menu-ready");
  const close = () => {
    header.classList.remove("menu-open");
    menuButton.setAttribute("aria-expanded", "false");
  };
  menuButton.addEventListener("click", () => {
    const open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    menuButton.setAttribute("aria-expanded", String(open));
    if (open) header.querySelector(".mainnav a").focus();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && header.classList.contains("menu-open")) {
      close();
      menuButton.focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!header.contains(e.target)) close();
  });
}

for (const button of document.querySelectorAll("[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const ok = await copyText(button.dataset.copy);
    const note = document.getElementById(button.getAttribute("aria-describedby") || "") || button;
    const text = ok ? gettext("Link copied") : gettext("Copy the link from the box");
    if (note === button) button.textContent = text;
    else note.textContent = text;
  });
}
