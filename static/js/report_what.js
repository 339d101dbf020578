// Step 2: what the problem is. The category tiles are radios rendered by the server; the API's
// category list (/api/v1/reports/categories/, in the page's language, cached for offline use)
// adds the deadlines the city committed to — shown as soon as a category is chosen, before
// anything is sent — and the category's extra questions (choices as radios, others as text).
// A tap on a tile folds the list to the chosen one; keyboard users keep the list, so the arrow
// keys still move between categories.
import { api, format, gettext, h, LANG } from "./report_util.js";

const CACHE = `fixtracker.categories.${LANG}`;

export class WhatPicker {
  constructor(fieldset, { url, anonymous, onChange }) {
    this.fieldset = fieldset;
    this.anonymous = anonymous;
    this.onChange = onChange;
    this.deadlines = fieldset.querySelector("#deadlines");
    this.questions = fieldset.querySelector("#questions");
    this.chosen = fieldset.querySelector("#chosen-category");
    this.tappedAt = 0;
    this.categories = new Map(cached().map((c) => [c.slug, c]));
    this.ready = api(url)
      .then(({ data }) => {
        this.categories = new Map(data.map((c) => [c.slug, c]));
        try {
          localStorage.setItem(CACHE, JSON.stringify(data));
        } catch {
          // no room: the next page load asks the API again
        }
      })
      .catch(() => {});
    fieldset.addEventListener("pointerup", (e) => {
      if (e.target.closest(".category-tile")) this.tappedAt = Date.now();
    });
    fieldset.addEventListener("change", (e) => {
      if (e.target.name === "category") this.choose(e.target.value, Date.now() - this.tappedAt < 1500);
    });
    fieldset.querySelector("#change-category").addEventListener("click", () => {
      this.unfold();
      (this.radio() || fieldset.querySelector("input[name=category]")).focus();
    });
    if (this.slug()) queueMicrotask(() => this.choose(this.slug(), false)); // after the page has wired itself
  }

  radio() {
    return this.fieldset.querySelector("input[name=category]:checked");
  }

  slug() {
    const radio = this.radio();
    return radio ? radio.value : "";
  }

  // The chosen category as "💡 Lamp out", for lists of reports.
  label() {
    const radio = this.radio();
    if (!radio) return "";
    const tile = radio.closest(".category-tile");
    return `${tile.querySelector(".category-icon").textContent} ${tile.querySelector(".category-name").textContent}`.trim();
  }

  async choose(slug, fold, answers = null) {
    const radio = this.fieldset.querySelector(`input[name=category][value="${CSS.escape(slug)}"]`);
    if (!radio) return;
    radio.checked = true;
    if (fold) this.fold();
    else if (this.fieldset.classList.contains("is-chosen")) this.chosen.querySelector(".chosen-label").textContent = this.label();
    this.onChange(slug);
    if (!this.categories.has(slug)) await this.ready;
    const category = this.categories.get(slug);
    if (this.slug() !== slug) return; // another tap while the list was loading
    this.showDeadlines(category);
    this.showQuestions(category, answers || this.answers());
  }

  fold() {
    this.fieldset.classList.add("is-chosen");
    this.chosen.querySelector(".chosen-label").textContent = this.label();
    this.chosen.hidden = false;
  }

  unfold() {
    this.fieldset.classList.remove("is-chosen");
    this.chosen.hidden = true;
  }

  showDeadlines(category) {
    if (!category) {
      this.deadlines.hidden = true;
      return;
    }
    // Label and value, not one sentence: the server's "2 hours, day and night" reads right in any language.
    this.deadlines.replaceChildren(
      h(
        "p",
        { class: "deadline-promise" },
        h("span", { class: "deadline-icon", "aria-hidden": "true" }, "⏱ "),
        format(gettext("The service's deadlines (%(department)s):"), { department: category.department }),
      ),
      h(
        "dl",
        { class: "deadline-list" },
        h("div", {}, h("dt", {}, gettext("Respond within")), h("dd", { class: "respond-within" }, category.respond_within)),
        h("div", {}, h("dt", {}, gettext("Resolve within")), h("dd", { class: "resolve-within" }, category.resolve_within)),
      ),
      h(
        "p",
        { class: "help" },
        this.anonymous
          ? gettext("The clock starts when you confirm the report from your email.")
          : gettext("The clock starts when the report is sent."),
      ),
    );
    this.deadlines.hidden = false;
  }

  showQuestions(category, answers) {
    const questions = (category && category.questions) || [];
    this.questions.replaceChildren(...questions.map((q) => (q.choices && q.choices.length ? choice(q, answers) : text(q, answers))));
  }

  answers() {
    const values = {};
    for (const input of this.questions.querySelectorAll("input")) {
      if ((input.type !== "radio" || input.checked) && input.value) values[input.name] = input.value;
    }
    return values;
  }

  reset() {
    for (const radio of this.fieldset.querySelectorAll("input[name=category]")) radio.checked = false;
    this.unfold();
    this.deadlines.hidden = true;
    this.questions.replaceChildren();
  }
}

function cached() {
  try {
    return JSON.parse(localStorage.getItem(CACHE) || "[]");
  } catch {
    return [];
  }
}

function choice(q, answers) {
  const name = `answer_${q.key}`;
  return h(
    "fieldset",
    { class: "question", "aria-describedby": `error-${name}` },
    h("legend", {}, q.label, " ", h("span", { class: "optional" }, gettext("(optional)"))),
    h(
      "div",
      { class: "choice-row" },
      q.choices.map((c) =>
        h(
          "label",
          { class: "choice" },
          h("input", { type: "radio", name, value: c.value, checked: answers[name] === c.value }),
          h("span", {}, c.label),
        ),
      ),
    ),
    h("p", { class: "field-error", id: `error-${name}`, "data-error-for": name, hidden: true }),
  );
}

function text(q, answers) {
  const name = `answer_${q.key}`;
  const input = h("input", { type: "text", id: name, name, maxlength: "300", "aria-describedby": `error-${name}` });
  input.value = answers[name] || "";
  return h(
    "div",
    { class: "question" },
    h("label", { for: name }, q.label, " ", h("span", { class: "optional" }, gettext("(optional)"))),
    input,
    h("p", { class: "field-error", id: `error-${name}`, "data-error-for": name, hidden: true }),
  );
}
