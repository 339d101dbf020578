// Sending a report, and keeping it on the phone until it is sent.
//
// Every report is written to IndexedDB (photos as Blobs) before the first try, so it survives a
// dropped connection, a reload or a closed browser; it is sent again when the phone is online
// (the `online` event, page load, and every minute while the page is open). Each report carries
// the idempotency key made when it was composed: the server answers a repeated key with the first
// report (200), so a retry after a lost answer never files a second one. A record leaves the
// store only after a 2xx answer. A 4xx keeps it, marked "rejected" with the server's errors, for
// the person to fix or discard; a 5xx or a network failure keeps it "queued" for the next try.
import { api, ApiError } from "./report_util.js";

const DB_NAME = "fix-tbilisi";
const STORE = "outbox";
const RETRY_MS = 60_000;
const MIN_BYTES_PER_MS = 10; // give up waiting below ~10 KB/s, then try again later

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let database = null;
function db() {
  if (!database) {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "key" });
    database = request(open);
  }
  return database;
}

async function store(mode) {
  return (await db()).transaction(STORE, mode).objectStore(STORE);
}

export class Outbox {
  constructor(url, { onSent, onRejected, onChange }) {
    this.url = url;
    this.onSent = onSent;
    this.onRejected = onRejected;
    this.onChange = onChange;
    this.sending = new Set(); // keys in flight from this page
    this.memory = new Map(); // when IndexedDB is unavailable (some private modes)
    window.addEventListener("online", () => this.flush());
    setInterval(() => this.flush(), RETRY_MS);
  }

  async list() {
    try {
      const records = await request((await store("readonly")).getAll());
      return records.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    } catch {
      return [...this.memory.values()];
    }
  }

  async save(record) {
    try {
      await request((await store("readwrite")).put(record));
      return true;
    } catch {
      this.memory.set(record.key, record);
      return false;
    }
  }

  async remove(key) {
    this.memory.delete(key);
    try {
      await request((await store("readwrite")).delete(key));
    } catch {
      // nothing was stored
    }
    this.onChange();
  }

  // Returns {outcome: "sent", data, status} | {outcome: "queued", kept} | {outcome: "rejected", error}.
  async send(record) {
    this.sending.add(record.key);
    try {
      record.state = "sending";
      const kept = await this.save(record);
      if (navigator.onLine === false) return await this.queue(record, kept);
      record.tries = (record.tries || 0) + 1;
      let answer;
      try {
        answer = await this.post(record);
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          Object.assign(record, { state: "rejected", error: { status: error.status, ...error.body } });
          await this.save(record);
          return { outcome: "rejected", error: record.error };
        }
        return await this.queue(record, kept); // offline, timed out, or the server failed: later
      }
      await this.remove(record.key);
      return { outcome: "sent", status: answer.status, data: answer.data };
    } finally {
      this.sending.delete(record.key);
      this.onChange();
    }
  }

  async queue(record, kept) {
    record.state = "queued";
    await this.save(record);
    return { outcome: "queued", kept };
  }

  async post(record) {
    const form = new FormData();
    for (const [name, value] of Object.entries(record.fields)) form.append(name, value);
    form.append("idempotency_key", record.key);
    let bytes = 0;
    for (const photo of record.photos) {
      form.append("photos", photo.blob, photo.name);
      bytes += photo.blob.size;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000 + bytes / MIN_BYTES_PER_MS);
    try {
      return await api(this.url, { method: "POST", form, signal: controller.signal, lang: record.lang });
    } finally {
      clearTimeout(timer);
    }
  }

  // Send what waits, one at a time; rejected reports wait for the person.
  async flush() {
    if (this.flushing || navigator.onLine === false) return;
    this.flushing = true;
    try {
      for (const record of await this.list()) {
        if (record.state === "rejected" || this.sending.has(record.key)) continue;
        const result = await this.send(record);
        if (result.outcome === "sent") this.onSent(record, result);
        else if (result.outcome === "rejected") this.onRejected(record, result.error);
        else break; // still no way through: the rest would fail too
      }
    } finally {
      this.flushing = false;
    }
  }
}
