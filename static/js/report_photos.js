// Step 3: up to three photos from the camera or the gallery. Each photo's GPS position is read
// from the original file (report_exif.js) and offered as the report's place; then the photo is
// downscaled on the phone to a JPEG of at most 1600 px (~200–400 KB instead of several MB), so it
// goes through a weak connection. The copy carries no metadata, which is fine: the server
// re-encodes every photo anyway. The blobs are what report.js sends or keeps on the phone.
import { readGps } from "./report_exif.js";
import { format, gettext, h, kilobytes, ngettext } from "./report_util.js";

export const MAX_PHOTOS = 3;
const MAX_SIDE = 1600;
const QUALITY = 0.8;

export class PhotoPicker {
  constructor(fieldset, { onGps, onChange }) {
    this.fieldset = fieldset;
    this.list = fieldset.querySelector("#photo-previews");
    this.statusEl = fieldset.querySelector("#photo-status");
    this.inputs = [...fieldset.querySelectorAll("input[type=file]")];
    this.onGps = onGps;
    this.onChange = onChange;
    this.photos = []; // {blob, name, url}
    this.pending = Promise.resolve();
    for (const input of this.inputs) {
      input.removeAttribute("name"); // the page sends the downscaled copies, not the originals
      input.addEventListener("change", () => {
        const files = [...input.files];
        input.value = ""; // the same photo can be chosen again after removing it
        this.pending = this.pending.then(() => this.add(files));
      });
    }
  }

  // Resolves when every chosen photo is ready: sending waits for it.
  ready() {
    return this.pending;
  }

  async add(files) {
    const room = MAX_PHOTOS - this.photos.length;
    if (!files.length) return;
    if (room <= 0) {
      this.say(format(gettext("At most %(n)s photos: remove one to add another."), { n: MAX_PHOTOS }));
      return;
    }
    this.fieldset.setAttribute("aria-busy", "true");
    const problems = [];
    for (const file of files.slice(0, room)) {
      this.say(gettext("Preparing the photo…"));
      const gps = await readGps(file); // first: the smaller copy will not have it
      try {
        const blob = await downscale(file);
        this.photos.push({ blob, name: jpegName(file.name), url: URL.createObjectURL(blob) });
        if (gps) this.onGps(gps);
      } catch {
        problems.push(format(gettext("%(name)s could not be read as a photo; try another one."), { name: file.name }));
      }
    }
    if (files.length > room) {
      problems.push(format(gettext("At most %(n)s photos: the others were not added."), { n: MAX_PHOTOS }));
    }
    this.fieldset.removeAttribute("aria-busy");
    this.render();
    this.say(problems.length ? problems.join(" ") : this.summary());
    this.onChange();
  }

  summary() {
    if (!this.photos.length) return "";
    const bytes = this.photos.reduce((sum, p) => sum + p.blob.size, 0);
    return format(ngettext("%(n)s photo ready (%(size)s).", "%(n)s photos ready (%(size)s in all).", this.photos.length), {
      n: this.photos.length,
      size: kilobytes(bytes),
    });
  }

  remove(index) {
    const [photo] = this.photos.splice(index, 1);
    URL.revokeObjectURL(photo.url);
    this.render();
    this.say(gettext("The photo was removed.") + " " + this.summary());
    const buttons = this.list.querySelectorAll("button");
    (buttons[Math.min(index, buttons.length - 1)] || this.inputs[0]).focus();
    this.onChange();
  }

  render() {
    this.list.replaceChildren(
      ...this.photos.map((photo, i) =>
        h(
          "li",
          { class: "photo-preview" },
          h("img", { src: photo.url, alt: format(gettext("Photo %(n)s"), { n: i + 1 }) }),
          h(
            "button",
            {
              type: "button",
              class: "photo-remove",
              "aria-label": format(gettext("Remove photo %(n)s"), { n: i + 1 }),
              onclick: () => this.remove(i),
            },
            "×",
          ),
        ),
      ),
    );
    for (const label of this.fieldset.querySelectorAll(".photo-pick")) {
      label.classList.toggle("is-full", this.photos.length >= MAX_PHOTOS);
    }
  }

  say(text) {
    this.statusEl.textContent = text;
  }

  // For sending and for keeping offline: [{name, blob}].
  files() {
    return this.photos.map(({ name, blob }) => ({ name, blob }));
  }

  set(files) {
    this.clear();
    this.photos = files.map(({ name, blob }) => ({ name, blob, url: URL.createObjectURL(blob) }));
    this.render();
    this.say(this.summary());
  }

  clear() {
    for (const photo of this.photos) URL.revokeObjectURL(photo.url);
    this.photos = [];
    this.render();
    this.say("");
  }
}

// Decoded by an <img>, so the browser turns it upright by its EXIF orientation; white behind
// transparent PNGs, since JPEG has no transparency.
export async function downscale(file, maxSide = MAX_SIDE, quality = QUALITY) {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight));
    const width = Math.max(1, Math.round(img.naturalWidth * scale));
    const height = Math.max(1, Math.round(img.naturalHeight * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encoding failed"))), "image/jpeg", quality),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function jpegName(name) {
  const base = (name || "photo").replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "-").slice(0, 60) || "photo";
  return `${base}.jpg`;
}
