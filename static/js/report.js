// The phone-first reporting page (/<lang>/report/): where (report_map.js), what with its deadlines
// (report_what.js), photos (report_photos.js), details, "is it one of these?" (report_nearby.js),
// then sending — kept on the phone until it is through (report_outbox.js) — and the answer
// (report_result.js). Nothing typed is lost: a refused report keeps the form as it was, with each
// message next to its field; an unsent one waits in IndexedDB with its idempotency key.
import { NearbyOffer } from "./report_nearby.js";
import { Outbox } from "./report_outbox.js";
import { PhotoPicker } from "./report_photos.js";
import { WherePicker } from "./report_map.js";
import { showMyReports, remember, showOutbox, showResult } from "./report_result.js";
import { format, gettext, h, LANG, metres, newKey } from "./report_util.js";
import { WhatPicker } from "./report_what.js";

const root = document.getElementById("report-flow");
const form = document.getElementById("report-form");
const card = document.getElementById("report-result");
const status = document.getElementById("form-status");
const sendButton = document.getElementById("send");
const anonymous = root.dataset.authenticated !== "true";
const $ = (selector) => form.querySelector(selector);

// The idempotency key is made when a report is first composed and kept through every retry.
let key = newKey();
let busy = false;

const nearby = new NearbyOffer($("#duplicates"), {
  nearbyUrl: root.dataset.nearbyUrl,
  reportsUrl: root.dataset.submitUrl,
  email: anonymous ? supporterEmail : null,
});
const where = new WherePicker($("#step-where"), {
  tileUrl: root.dataset.tileUrl,
  districtsUrl: root.dataset.districtsUrl,
  searchUrl: root.dataset.searchUrl,
  onChange: () => {
    clearError("location");
    nearby.soon(what.slug(), where.point());
  },
});
const what = new WhatPicker($("#step-what"), {
  url: root.dataset.categoriesUrl,
  anonymous,
  onChange: (slug) => {
    clearError("category");
    nearby.soon(slug, where.point());
  },
});
const photos = new PhotoPicker($("#step-photos"), {
  onGps: (gps) => offerPhotoPlace(gps),
  onChange: () => {
    clearError("photos");
    if (photos.photos.length) clearError("description");
  },
});
const outbox = new Outbox(root.dataset.submitUrl, {
  onSent: (record, result) => sent(record, result.data, false),
  onRejected: () => {
    // The "saved on your phone" card no longer tells the truth: back to the form, the outbox says what to fix.
    if (card.classList.contains("is-waiting")) {
      card.hidden = true;
      form.hidden = false;
    }
    refreshOutbox();
  },
  onChange: () => refreshOutbox(),
});

// Showing one's name: the name field only when it will be shown.
const showName = $("#show_name");
const nameField = $("#name-field");
nameField.hidden = !showName.checked;
showName.addEventListener("change", () => {
  nameField.hidden = !showName.checked;
  if (showName.checked) $("#name").focus();
});

form.addEventListener("input", (e) => e.target.name && clearError(e.target.name));
form.addEventListener("submit", (e) => {
  e.preventDefault();
  submit();
});

async function submit() {
  if (busy) return;
  setBusy(true, gettext("Checking the report…"));
  try {
    clearErrors();
    await photos.ready();
    const problems = validate();
    if (problems) {
      showErrors(problems);
      say(gettext("Some things are missing: see the marked fields."));
      return;
    }
    // One more look for the same problem close by, unless its offer is already on screen.
    if (navigator.onLine !== false && !nearby.seen(what.slug(), where.point())) {
      const found = await nearby.check(what.slug(), where.point());
      if (found.length) {
        $("#duplicates").focus();
        say(gettext("It may already be reported: add your support, or press “Send the report” again to send yours."));
        return;
      }
    }
    const record = compose();
    say(gettext("Sending…"));
    const result = await outbox.send(record);
    if (result.outcome === "sent") sent(record, result.data, true);
    else if (result.outcome === "queued") queued(result.kept);
    else rejected(result.error);
  } finally {
    setBusy(false);
  }
}

function validate() {
  const errors = {};
  if (!where.point()) errors.location = [gettext("Show where the problem is: use your location or tap the map.")];
  if (!what.slug()) errors.category = [gettext("Choose what kind of problem it is.")];
  const email = $("#email");
  if (email && (!email.value.trim() || !email.checkValidity())) {
    errors.email = [gettext("Give your email so we can confirm the report and tell you of progress.")];
  }
  if (!$("#description").value.trim() && !photos.photos.length) {
    errors.description = [gettext("Describe the problem or add a photo.")];
  }
  return Object.keys(errors).length ? errors : null;
}

// The whole report as it will be sent, or kept on the phone: fields, photos (Blobs) and key.
function compose() {
  const fields = {};
  for (const [name, value] of new FormData(form)) {
    // The form's own key and token serve the no-JavaScript post; the page sends its own key.
    if (name !== "csrfmiddlewaretoken" && name !== "idempotency_key" && typeof value === "string") fields[name] = value;
  }
  if (!fields.show_name) delete fields.name; // a name is kept only to be shown
  return { key, lang: LANG, savedAt: new Date().toISOString(), state: "new", label: what.label(), fields, photos: photos.files() };
}

function sent(record, data, direct) {
  remember(data, record.label);
  showMyReports(document.getElementById("my-reports"));
  if (record.key === key) {
    resetForm();
    form.hidden = true;
  }
  card.classList.remove("is-waiting");
  showResult(card, { data, email: record.fields.email, onAnother: form.hidden ? another : null });
  say("");
  if (direct || form.hidden) announce();
}

function queued(kept) {
  resetForm();
  form.hidden = true;
  card.classList.add("is-waiting");
  card.replaceChildren(
    h("h2", { id: "report-result-title" }, gettext("Saved on your phone")),
    h(
      "p",
      { class: "notice-box" },
      gettext("There is no connection right now. Saved on your phone: it will be sent when you are online."),
      " ",
      kept
        ? gettext("If you close this page, it is sent the next time you open it.")
        : gettext("Keep this page open until it is sent."),
    ),
    h("button", { type: "button", class: "button secondary", onclick: another }, gettext("Report another problem")),
  );
  card.hidden = false;
  announce();
}

// The answer replaces the form: bring it into view and move focus to its heading, to be read out.
function announce() {
  card.scrollIntoView({ block: "start" });
  const heading = card.querySelector("h2");
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}

function rejected(error) {
  showErrors(error.errors || {}, error.detail);
  say(gettext("The report was not sent: please see the marked fields."));
}

function another() {
  card.hidden = true;
  form.hidden = false;
  window.scrollTo({ top: 0 });
  document.getElementById("locate").focus();
}

function resetForm() {
  key = newKey();
  what.reset();
  photos.clear();
  nearby.hide();
  $("#description").value = "";
  $("#photo-location").hidden = true;
  clearErrors();
  say("");
}

// A report that came back with a 4xx, back in the form to fix: same key, same everything.
async function fix(record) {
  key = record.key;
  const f = record.fields;
  form.hidden = false;
  card.hidden = true;
  for (const name of ["description", "address", "email", "name"]) if ($(`#${name}`) && f[name] !== undefined) $(`#${name}`).value = f[name];
  showName.checked = Boolean(f.show_name);
  nameField.hidden = !showName.checked;
  if (f.lat && f.lon) where.set(Number(f.lat), Number(f.lon), gettext("The pin is where you put it."));
  photos.set(record.photos || []);
  const answers = Object.fromEntries(Object.entries(f).filter(([name]) => name.startsWith("answer_")));
  if (f.category) await what.choose(f.category, true, answers);
  refreshOutbox();
  say("");
  showErrors((record.error && record.error.errors) || {}, record.error && record.error.detail);
}

// Error messages next to their fields; any the page has no place for go above the form.
function showErrors(errors, detail = "") {
  let first = null; // [message, control]
  const loose = [];
  for (const [field, messages] of Object.entries(errors)) {
    const text = [].concat(messages).join(" ");
    const el = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (!el || field === "reporter") {
      loose.push(text);
      continue;
    }
    el.textContent = text;
    el.hidden = false;
    const control = controlFor(field);
    if (control) control.setAttribute("aria-invalid", "true");
    first = first || [el, control || el];
  }
  if (!loose.length && !first && detail) loose.push(detail);
  if (loose.length) {
    const general = $("#error-form");
    general.textContent = loose.join(" ");
    general.hidden = false;
    first = first || [general, general];
  }
  if (first) {
    // The message in view, the focus on what needs changing (screen readers hear the message via aria-describedby).
    const [message, control] = first;
    message.scrollIntoView({ block: "center" });
    if (control.id === "report-map") where.focus();
    else control.focus({ preventScroll: true });
  }
}

function controlFor(field) {
  if (field === "location") return $("#report-map");
  if (field === "category") return what.radio() || $("input[name=category]");
  if (field === "photos") return $("#photo-camera");
  return form.querySelector(`[name="${CSS.escape(field)}"]`);
}

function clearError(field) {
  const el = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (el) el.hidden = true;
  const control = controlFor(field);
  if (control) control.removeAttribute("aria-invalid");
}

function clearErrors() {
  for (const el of form.querySelectorAll("[data-error-for]")) el.hidden = true;
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function supporterEmail() {
  const email = $("#email");
  if (email.value.trim() && email.checkValidity()) return email.value.trim();
  showErrors({ email: [gettext("Give your email to add your support.")] });
  return null;
}

// The photo knows where it was taken: offer it as the report's place, unless the pin is there.
async function offerPhotoPlace(gps) {
  const box = $("#photo-location");
  const distance = where.distanceTo(gps.lat, gps.lon);
  if (distance !== null && distance < 15) return;
  const district = await where.districtOf(gps.lat, gps.lon);
  if (district === "") return; // outside Tbilisi: a holiday photo, not the problem's place
  const place = [
    district ? format(gettext("in %(district)s"), { district }) : "",
    distance !== null ? format(gettext("%(distance)s from the pin"), { distance: metres(distance) }) : "",
  ].filter(Boolean);
  const done = (text) => {
    box.replaceChildren(h("p", {}, text));
    box.focus();
  };
  box.replaceChildren(
    h("p", {}, gettext("The photo knows where it was taken"), place.length ? `: ${place.join(", ")}.` : "."),
    h("p", { class: "question-text" }, gettext("Use the photo's location?")),
    h(
      "div",
      { class: "button-row" },
      h("button", {
        type: "button",
        class: "button",
        onclick: () => {
          where.set(gps.lat, gps.lon, gettext("The pin is at the photo's location."));
          done(gettext("The pin is now at the photo's location."));
        },
      }, gettext("Use the photo's location")),
      h("button", { type: "button", class: "button secondary", onclick: () => done(gettext("The pin stays where it is.")) },
        distance !== null ? gettext("Keep the pin") : gettext("No")),
    ),
  );
  box.hidden = false;
}

function say(text) {
  status.textContent = text;
}

function setBusy(on, text) {
  busy = on;
  sendButton.setAttribute("aria-disabled", String(on));
  if (on) sendButton.setAttribute("aria-busy", "true");
  else sendButton.removeAttribute("aria-busy");
  if (text) say(text);
}

async function refreshOutbox() {
  const records = (await outbox.list()).filter((r) => !(r.key === key && r.state === "rejected" && !form.hidden));
  showOutbox(document.getElementById("outbox"), records, {
    onFix: fix,
    onRetry: async (record) => {
      const result = await outbox.send(record);
      if (result.outcome === "sent") sent(record, result.data, false);
    },
    onDiscard: async (record) => {
      if (!window.confirm(gettext("Discard this report? It will not be sent."))) return;
      await outbox.remove(record.key);
      if (record.key === key) resetForm();
    },
  });
}

showMyReports(document.getElementById("my-reports"));
refreshOutbox().then(() => outbox.flush());

// With the service worker the page itself opens without a connection too, not only the queue.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/report-sw.js").catch(() => {});
