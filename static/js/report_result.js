// What the reporting page shows about reports already composed: the answer to a sent report
// (reference, email confirmation, deadline clocks, link), "My reports" sent from this phone
// (localStorage), and the reports waiting on the phone to be sent (report_outbox.js).
import { format, gettext, h, tbilisiTime } from "./report_util.js";

const MINE = "fixtracker.my-reports";
const MINE_MAX = 20;

export function showResult(card, { data, email, onAnother }) {
  const unconfirmed = data.confirmation === "sent";
  const parts = [
    h("h2", { id: "report-result-title" }, h("span", { "aria-hidden": "true" }, "✓ "), gettext("Your report is sent")),
    h("p", { class: "reference" }, gettext("Reference number:"), " ", h("strong", { class: "reference-number" }, data.reference)),
    unconfirmed
      ? h(
          "p",
          { class: "check-email notice-box" },
          h("strong", {}, gettext("Check your email.")),
          " ",
          email
            ? format(gettext("We sent a link to %(email)s."), { email })
            : gettext("We sent a link to your email address."),
          " ",
          gettext("Open it to confirm the report: until then it is not public and the service's clock does not start."),
        )
      : h("p", { class: "is-live" }, gettext("Your report is public and the service's clock is running.")),
    clocks(data.clocks || []),
    unconfirmed
      ? h("p", { class: "help" }, gettext("Once you confirm it, the report's page is here:"), " ", h("a", { href: data.url }, data.reference))
      : h("p", { class: "result-link" }, h("a", { class: "button", href: data.url }, gettext("Open the report's page"))),
    onAnother ? h("button", { type: "button", class: "button secondary", onclick: onAnother }, gettext("Report another problem")) : null,
  ];
  card.replaceChildren(...parts.filter(Boolean));
  card.hidden = false;
}

function clocks(list) {
  const shown = list.filter((c) => c.state && c.state !== "none");
  if (!shown.length) return null;
  return h(
    "div",
    { class: "clocks" },
    shown.map((c) =>
      h(
        "div",
        { class: `clock clock-${c.state}`, "data-state": c.state },
        h("span", { class: "clock-label" }, c.label),
        h("strong", { class: "clock-text" }, c.text),
        c.due_at ? h("span", { class: "help" }, gettext("due"), " ", tbilisiTime(c.due_at)) : null,
      ),
    ),
  );
}

export function remember(data, category) {
  const mine = myReports().filter((r) => r.reference !== data.reference);
  mine.unshift({
    reference: data.reference,
    url: data.url,
    category,
    confirmation: data.confirmation,
    sentAt: new Date().toISOString(),
  });
  try {
    localStorage.setItem(MINE, JSON.stringify(mine.slice(0, MINE_MAX)));
  } catch {
    // storage full or blocked: the list is a convenience
  }
}

export function myReports() {
  try {
    return JSON.parse(localStorage.getItem(MINE) || "[]");
  } catch {
    return [];
  }
}

export function showMyReports(section) {
  const mine = myReports();
  section.hidden = !mine.length;
  section.querySelector("ul").replaceChildren(
    ...mine.map((r) =>
      h(
        "li",
        { class: "my-report" },
        h("a", { href: r.url }, r.reference),
        " ",
        h("span", {}, r.category || ""),
        " ",
        h("span", { class: "help" }, tbilisiTime(r.sentAt)),
        r.confirmation === "sent" ? h("span", { class: "help" }, " · ", gettext("confirm it from your email")) : null,
      ),
    ),
  );
}

// The reports on this phone that are not sent yet, with what can be done about each.
export function showOutbox(section, records, { onFix, onDiscard, onRetry }) {
  section.hidden = !records.length;
  section.querySelector("ul").replaceChildren(
    ...records.map((record) => {
      const rejected = record.state === "rejected";
      return h(
        "li",
        { class: `outbox-item is-${record.state}`, "data-key": record.key, "data-tries": record.tries || 0 },
        h("strong", {}, record.label || gettext("Report")),
        " ",
        h("span", { class: "help" }, tbilisiTime(record.savedAt)),
        h(
          "p",
          { class: "outbox-state" },
          rejected
            ? format(gettext("Not sent: %(reason)s"), { reason: reason(record.error) })
            : record.state === "sending"
              ? gettext("Sending…")
              : gettext("Saved on your phone; it will be sent when you are online."),
        ),
        h(
          "div",
          { class: "outbox-actions" },
          rejected
            ? h("button", { type: "button", class: "button", onclick: () => onFix(record) }, gettext("Fix it"))
            : h("button", { type: "button", class: "button secondary", onclick: () => onRetry(record) }, gettext("Send now")),
          h("button", { type: "button", class: "linklike", onclick: () => onDiscard(record) }, gettext("Discard")),
        ),
      );
    }),
  );
}

// The field messages say it best; "detail" repeats one of them with the field's name in front.
function reason(error) {
  const messages = Object.values((error && error.errors) || {}).flat();
  return messages.join(" ") || (error && error.detail) || gettext("please check it.");
}
