// "Is it one of these?": open reports of the same category within 50 m of the pin, looked up as
// soon as both are known and once more before sending. Adding one's support to an existing report
// (POST /api/v1/reports/<ref>/support/) is offered instead of filing a duplicate; sending a new
// report stays possible.
import { api, format, gettext, h, metres, ngettext } from "./report_util.js";

const LOOKUP_MS = 8000; // on a weak connection the check must not hold the report back

export class NearbyOffer {
  constructor(section, { nearbyUrl, reportsUrl, email }) {
    this.section = section;
    this.list = section.querySelector("ul");
    this.nearbyUrl = nearbyUrl;
    this.reportsUrl = reportsUrl;
    this.email = email; // () => {ok, value} for anonymous supporters, null when signed in
    this.timer = null;
    this.controller = null;
    this.shownFor = ""; // the category and place whose offer is on screen
  }

  soon(slug, point) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(slug, point), 400);
  }

  // Resolves to the reports near `point`; [] when there are none or the lookup failed (offline).
  async check(slug, point) {
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    if (!slug || !point) {
      this.show([], "");
      return [];
    }
    const where = signature(slug, point);
    const controller = new AbortController();
    this.controller = controller;
    const timer = setTimeout(() => controller.abort(), LOOKUP_MS);
    try {
      const { data } = await api(
        `${this.nearbyUrl}?category=${encodeURIComponent(slug)}&lon=${point.lon}&lat=${point.lat}`,
        { signal: controller.signal },
      );
      this.show(data, where);
      return data;
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  // True when the offer for this category and place is already on screen.
  seen(slug, point) {
    return !this.section.hidden && this.shownFor === signature(slug, point);
  }

  show(reports, where) {
    this.shownFor = reports.length ? where : "";
    this.section.hidden = !reports.length;
    this.list.replaceChildren(...reports.map((r) => this.item(r)));
  }

  item(report) {
    const note = h("p", { class: "support-status", role: "status" });
    const button = h("button", { type: "button", class: "button secondary" }, gettext("Add my support"));
    button.addEventListener("click", () => this.support(report, button, note));
    return h(
      "li",
      { class: "duplicate" },
      h("a", { href: report.url, class: "duplicate-title" }, report.title || report.reference),
      h(
        "span",
        { class: "help duplicate-meta" },
        [
          report.reference,
          report.status,
          format(gettext("%(distance)s away"), { distance: metres(report.distance_m) }),
          format(ngettext("%(n)s person affected", "%(n)s people affected", report.supporters), { n: report.supporters }),
        ].join(" · "),
      ),
      button,
      note,
    );
  }

  async support(report, button, note) {
    let body = {};
    if (this.email) {
      const email = this.email();
      if (!email) return; // the email field says what is missing
      body = { email };
    }
    button.setAttribute("aria-busy", "true");
    try {
      const { data } = await api(`${this.reportsUrl}${encodeURIComponent(report.reference)}/support/`, { method: "POST", json: body });
      note.textContent = data.confirmation === "sent" || data.confirmation === "pending"
        ? gettext("Check your email and open the link we sent: your support is counted then.")
        : data.added
        ? format(
            ngettext(
              "Thank you: your support is counted. %(n)s person is affected.",
              "Thank you: your support is counted. %(n)s people are affected.",
              data.supporters,
            ),
            { n: data.supporters },
          )
        : gettext("You already support this report.");
      button.hidden = true;
      note.tabIndex = -1;
      note.focus(); // the button is gone: keep the place for keyboard and screen reader users
    } catch (error) {
      const errors = (error.body && error.body.errors) || {};
      note.textContent =
        (errors.email && errors.email[0]) ||
        (error.body && error.body.detail) ||
        gettext("Your support could not be added: check the connection and try again.");
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  hide() {
    this.show([], "");
  }
}

function signature(slug, point) {
  return `${slug}|${point.lat.toFixed(6)}|${point.lon.toFixed(6)}`;
}
