// Small helpers the map's modules share: translation, numbers, dates, lengths, areas and the API.
export const gettext = window.gettext || ((s) => s);
export const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
export const interpolate =
  window.interpolate ||
  ((fmt, obj, named) => (named ? fmt.replace(/%\((\w+)\)s/g, (m, k) => String(obj[k])) : fmt));

export const LANG = document.documentElement.lang || "ka";
const LOCALE = LANG === "ka" ? "ka-GE" : "en-GB";

export function number(value, digits = 0) {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

// Browsers' Georgian date data is often missing ("2026 M10 26"), so the month names are spelled
// out here, as the server's templates show them ("26 ოქტომბერი 2026").
const MONTHS_KA = [
  "იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი",
  "ივლისი", "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი",
];

// Dates are shown as a Tbilisi resident would name them, whatever the browser's own time zone.
export function date(iso) {
  if (!iso) return "";
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "numeric", year: "numeric", timeZone: "Asia/Tbilisi" })
      .formatToParts(value)
      .map((p) => [p.type, p.value]),
  );
  if (LANG === "ka") return `${parts.day} ${MONTHS_KA[Number(parts.month) - 1]} ${parts.year}`;
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "long", timeZone: "Asia/Tbilisi" }).format(value);
}

export function distance(metres) {
  if (metres < 1000) return interpolate(gettext("%(n)s m"), { n: number(metres) }, true);
  return interpolate(gettext("%(n)s km"), { n: number(metres / 1000, metres < 10000 ? 2 : 1) }, true);
}

export function area(squareMetres) {
  if (squareMetres < 10000) return interpolate(gettext("%(n)s m²"), { n: number(squareMetres) }, true);
  if (squareMetres < 1000000) return interpolate(gettext("%(n)s ha"), { n: number(squareMetres / 10000, 2) }, true);
  return interpolate(gettext("%(n)s km²"), { n: number(squareMetres / 1000000, 2) }, true);
}

// Item links from the API may be language-neutral ("/layers/…"): give them the page's language.
export function localized(path) {
  if (!path) return "";
  if (/^https?:\/\//.test(path) || /^\/(ka|en)\//.test(path)) return path;
  return `/${LANG}${path.startsWith("/") ? "" : "/"}${path}`;
}

export function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// fetch JSON or throw; the API answers errors as {"detail", "code", "errors"}.
export async function fetchJSON(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    ...options,
    headers: { Accept: "application/json", ...(options.headers || {}) },
  });
  if (!response.ok) {
    const error = new Error(response.statusText || String(response.status));
    error.status = response.status;
    // The API's error shape ({detail, code, errors}) when the answer has one, for callers to show.
    error.body = await response.json().catch(() => null);
    throw error;
  }
  return response.json();
}

export function postJSON(url, body, options = {}) {
  return fetchJSON(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    ...options,
  });
}

// Build DOM without innerHTML, so API text can never become markup.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
