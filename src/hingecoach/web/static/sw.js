/* The service worker: Today, Log (with its rest timer) and Plan open without a
 * connection, as they were when last seen online. Pages: the network first, the copy
 * kept here when there is none. The app's own scripts and styles: the copy kept here
 * first, refreshed from the network each time. Nothing else is touched: every POST (a
 * set, a save) goes to the network, and the Log page queues what cannot be sent.
 * Signing out (the login page) forgets the pages kept here.
 */
const VERSION = "hingecoach-1";
const PAGES = ["/today", "/log", "/plan"];
const ASSETS = [
  "/static/app.css",
  "/static/log.js",
  "/static/pwa.js",
  "/static/htmx.min.js",
  "/static/icon-192.png",
  "/manifest.webmanifest",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(VERSION);
      await cache.addAll(ASSETS);
      await Promise.all(PAGES.map((path) => keepPage(cache, path)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== VERSION) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** Keep a signed-in page (never a redirect to the login page). */
async function keepPage(cache, path) {
  try {
    const response = await fetch(path, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(path, response);
  } catch {
    /* offline while installing: kept on the next visit */
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === "/login") {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.mode === "navigate" && PAGES.includes(url.pathname)) {
    event.respondWith(networkFirst(url.pathname, request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, event));
  }
});

async function forgetPages() {
  const cache = await caches.open(VERSION);
  await Promise.all(PAGES.map((path) => cache.delete(path)));
}

async function networkFirst(path, request) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(path, response.clone());
    return response;
  } catch {
    const kept = await cache.match(path);
    if (kept) return kept;
    return new Response(
      "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
        "<title>Offline</title><p style='font-family:sans-serif;margin:2rem'>You are offline " +
        "and this page was not opened here before. Open Today, Log or Plan once while " +
        "online, and they will open offline too.</p>",
      { status: 503, headers: { "content-type": "text/html; charset=utf-8" } },
    );
  }
}

async function cacheFirst(request, event) {
  const cache = await caches.open(VERSION);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then(async (response) => {
      if (response.ok) await cache.put(request, response.clone());
      return response;
    })
    .catch(() => undefined);
  if (kept) {
    event.waitUntil(fresh);
    return kept;
  }
  return (await fresh) || new Response("", { status: 503 });
}
