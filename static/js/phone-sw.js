// The phone page's service worker: a phone that loses the Wi-Fi can still reload its page.
// Served by facilitation/participant/offline.py, which puts `self.PHONE_OFFLINE` before
// this text: {version, assets, lazyAssets, keepHeader, versionHeader}. Registered by phone-offline.js
// with the phone pages' folder (/p/) as its scope, so no other page is ever handled here.
//
// - The phone page of a session (/p/<code>): from the network, and kept for when the
//   network is gone; dropped when the server says so (the person withdrew), sends the phone
//   to the join page (no longer a participant) or does not know the code.
// - The page's static files: from this version's cache, filled on install with those the
//   page loads at once (`assets`); the modules it loads when a stage needs them (each
//   activity type's, `lazyAssets`) are kept as they are first fetched, so a phone on slow
//   Wi-Fi does not download every type's at install, and a reload offline still draws the
//   stages it has shown. An install of a new version deletes the old ones.
// - Anything else (the live connection, any other request): the network, never kept.

const { version, assets, lazyAssets, keepHeader, versionHeader } = self.PHONE_OFFLINE;
const ASSET_PREFIX = "phone-assets-";
const ASSETS = ASSET_PREFIX + version;
const PAGES = "phone-pages";
const assetPaths = new Set([...assets, ...lazyAssets].map((url) => new URL(url, self.location).pathname));
// Set once a phone page expects other files than this version's: a newer worker is on
// its way, and until then the files come from the network so the page gets its own.
let outdated = false;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      // Hashed names never change content, so the files the page has just loaded come from
      // the browser's HTTP cache: over slow Wi-Fi they are not downloaded a second time.
      .then((cache) => cache.addAll(assets))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith(ASSET_PREFIX) && name !== ASSETS).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim())
      .then(keepFetched),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isPhonePage(url)) {
    event.respondWith(phonePage(event, url));
  } else if (assetPaths.has(url.pathname)) {
    event.respondWith(asset(request, url));
  }
});

// The page asks to be kept when it was loaded before this worker handled it (the first
// visit): its own load did not come through here.
self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path !== "string") return;
  const url = new URL(path, self.location);
  if (url.origin !== self.location.origin || !isPhonePage(url)) return;
  event.waitUntil(
    Promise.all([
      fetch(url.href, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
        .then((response) => remember(url, response))
        .catch(() => {}), // offline already: nothing to keep
      keepFetched(),
    ]),
  );
});

/** Keep the lazily loaded modules the page fetched before this worker handled it (its first
 * visit), from the browser's HTTP cache only: nothing is downloaded for it. */
async function keepFetched() {
  const cache = await caches.open(ASSETS);
  await Promise.all(
    lazyAssets.map(async (path) => {
      const key = new URL(path, self.location).href;
      if (await cache.match(key)) return;
      try {
        const response = await fetch(key, { cache: "only-if-cached", mode: "same-origin" });
        if (response.ok) await cache.put(key, response);
      } catch {
        // Not fetched yet: kept when it is (asset).
      }
    }),
  );
}

/** Whether `url` is a session's phone page: one path segment (the code) under the scope. */
function isPhonePage(url) {
  const scope = new URL(self.registration.scope).pathname;
  return url.pathname.startsWith(scope) && /^[A-Za-z0-9-]+$/.test(url.pathname.slice(scope.length));
}

// One copy per session, whatever the query (?lang=…): the last one loaded.
const pageKey = (url) => url.origin + url.pathname;

async function phonePage(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const kept = await caches.match(pageKey(url), { cacheName: PAGES, ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
  event.waitUntil(remember(url, response.clone()));
  return response;
}

/** Keep or drop the page at `url` as the server's `response` says. */
async function remember(url, response) {
  const cache = await caches.open(PAGES);
  const verdict = response.headers.get(keepHeader);
  if (response.status === 200 && response.type === "basic" && verdict === "keep") {
    const expected = response.headers.get(versionHeader);
    if (expected && expected !== version) {
      outdated = true;
      self.registration.update().catch(() => {});
    }
    await cache.put(pageKey(url), response);
  } else if (verdict === "forget" || response.type === "opaqueredirect" || [404, 410].includes(response.status)) {
    await cache.delete(pageKey(url));
  }
  // Anything else (the server's database away for a moment) leaves the kept copy as it is.
}

async function asset(request, url) {
  const cache = await caches.open(ASSETS);
  const key = url.origin + url.pathname;
  if (!outdated) {
    const kept = await cache.match(key);
    if (kept) return kept;
  }
  try {
    const response = await fetch(request);
    if (response.ok && !outdated) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}
