// Every page: the header's section links (as many as fit, the rest behind "More") and the "copy
// link" buttons. Without JavaScript the links wrap onto further rows and the link is there to
// select by hand.
import { copyText } from "./copy.js";

const gettext = window.gettext || ((s) => s);

// Priority+: the bar keeps as many section links as fit beside the site's name and the account
// links, the rest are offered behind "More" (on a phone all of them, behind "Menu"). Measured, not
// guessed from a breakpoint: Georgian labels are far longer than English ones.
function setUpMenu(header, menuButton) {
  const nav = header.querySelector(".mainnav");
  const more = header.querySelector(".more-menu");
  const label = menuButton.querySelector(".menu-label");
  const menuWord = label.textContent;
  const links = [...nav.querySelectorAll(":scope > a")];
  const copies = links.map((a) => more.appendChild(a.cloneNode(true)));
  const name = header.querySelector(".brand-full");
  const overflows = (el) => el && el.scrollWidth > el.clientWidth + 1;

  const show = (visible) => {
    links.forEach((a, i) => (a.hidden = i >= visible));
    copies.forEach((a, i) => (a.hidden = i < visible));
    header.classList.toggle("menu-collapsed", visible < links.length);
    label.textContent = visible ? label.dataset.more : menuWord;
  };
  const close = () => {
    header.classList.remove("menu-open");
    menuButton.setAttribute("aria-expanded", "false");
  };
  const fit = () => {
    const open = header.classList.contains("menu-open");
    header.classList.remove("menu-open");
    let visible = links.length;
    show(visible);
    while (visible > 0 && (overflows(nav) || overflows(header) || overflows(name))) show(--visible);
    if (open && visible < links.length) header.classList.add("menu-open");
    else close();
  };

  menuButton.hidden = false;
  header.classList.add("menu-ready");
  fit();
  let pending = false;
  window.addEventListener("resize", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fit();
    });
  });
  if (document.fonts) document.fonts.ready.then(fit);
  menuButton.addEventListener("click", () => {
    const open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    menuButton.setAttribute("aria-expanded", String(open));
    if (open) more.querySelector("a:not([hidden])")?.focus();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && header.classList.contains("menu-open")) {
      close();
      menuButton.focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!nav.contains(e.target)) close();
  });
}

// Every map's zoom buttons in the page's language (Leaflet's own titles are English). site.js runs
// before the pages' own modules, which create the maps, and after the classic leaflet.js.
const mapStrings = document.getElementById("map-strings");
if (window.L && mapStrings) {
  const strings = JSON.parse(mapStrings.textContent);
  Object.assign(L.Control.Zoom.prototype.options, { zoomInTitle: strings.zoomIn, zoomOutTitle: strings.zoomOut });
}

const header = document.querySelector(".topbar");
const menuButton = header && header.querySelector(".menu-button");
if (menuButton) setUpMenu(header, menuButton);

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
