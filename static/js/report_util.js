// Small helpers the reporting page's modules share: translation, DOM building, dates and the API.
// The shared basics come from format.js; this module adds what only the reporting page needs.
export { LANG, csrfToken, gettext, h, interpolate, ngettext } from "./format.js";
import { LANG, csrfToken, gettext, interpolate } from "./format.js";

export function format(text, values) {
  return interpolate(text, values, true);
}

// An answer from the API that is not 2xx: {"detail", "code", "errors": {field: [message]}}.
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || String(status));
    this.status = status;
    this.body = body || {};
  }
}

// fetch in the page's language; a network failure rejects as fetch does (TypeError, AbortError).
export async function api(url, { method = "GET", json, form, signal, lang = LANG } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": lang };
  let body;
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) {
    body = JSON.stringify(json);
    headers["Content-Type"] = "application/json";
  } else if (form) {
    body = form;
  }
  const response = await fetch(url, { method, headers, body, signal, credentials: "same-origin" });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data };
}

// The idempotency key of one report. crypto.randomUUID exists only on https (and localhost).
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// "d.m.Y H:i" in Tbilisi's time, as the server's templates show dates, whatever the phone's zone.
export function tbilisiTime(iso) {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return "";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: "Asia/Tbilisi",
    })
      .formatToParts(value)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

export function metres(n) {
  return n < 1000 ? format(gettext("%(n)s m"), { n: Math.round(n) }) : format(gettext("%(n)s km"), { n: (n / 1000).toFixed(1) });
}

export function kilobytes(bytes) {
  return format(gettext("%(n)s KB"), { n: Math.max(1, Math.round(bytes / 1024)) });
}
