// Service worker for the reporting page: with no connection, the page and what it needs still
// open (the reports waiting in IndexedDB are sent once the connection returns). Network first,
// so an online visit always gets the current page; the cache is only the fallback.
const CACHE = "smartmap-report-v1";
const PAGE = /^\/(ka|en)\/report\/$/;
const ASSET = /^\/(static\/|(ka|en)\/jsi18n\/|api\/v1\/reports\/categories\/|api\/v1\/districts\/)/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const wanted = (request.mode === "navigate" && PAGE.test(url.pathname)) || ASSET.test(url.pathname);
  if (!wanted) return;
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
    if (cached) return cached;
    throw error;
  }
}
