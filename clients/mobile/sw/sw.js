// Service worker of the НМС teachers' app. The build (vite.config.ts) replaces the two
// placeholders with the list of built files and a hash of their contents, so every release is
// a new worker with its own cache.
//
// What it does:
// - precaches the app shell (index.html, the hashed JS/CSS, manifest, icons) so the app starts
//   without a network;
// - navigations: network first (a new release is picked up at once), the cached shell offline;
// - other GET requests inside the app's scope: the cache first, then the network;
// - never touches anything else: the API is gRPC-web POSTs to /nms.v1.*/…, outside the scope and
//   not GET, so answers of the server are never cached or replayed by the worker (the app keeps
//   its own offline copies and queue in IndexedDB).
const VERSION = "__NMS_VERSION__";
const PRECACHE = __NMS_PRECACHE__;
const CACHE = `nms-mobile-${VERSION}`;
const SCOPE = self.registration.scope;
const SHELL = new URL("index.html", SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((p) => new Request(new URL(p, SCOPE).href, { cache: "reload" })))),
  );
  // The first install takes over at once; an update waits until the teacher accepts it.
  if (!self.registration.active) self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("nms-mobile-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
  if (event.data && event.data.type === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req)
        .then((resp) => (resp.ok ? resp : caches.match(SHELL).then((hit) => hit || resp)))
        .catch(() => caches.match(SHELL).then((hit) => hit || Response.error())),
    );
    return;
  }
  event.respondWith(
    caches.match(req, { ignoreSearch: true }).then(
      (hit) =>
        hit ||
        fetch(req).then((resp) => {
          // Content-hashed assets of this release may be cached as they are first used.
          if (resp.ok && resp.type === "basic" && url.pathname.includes("/assets/")) {
            const copy = resp.clone();
            caches.open(CACHE).then((cache) => cache.put(req, copy));
          }
          return resp;
        }),
    ),
  );
});
