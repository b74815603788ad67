// casebook's service worker: pages a reader opened stay readable offline, and parts a
// reader saved (a workshop, the toolkit) are kept and refreshed when the site changes.
// Everything is relative to where this file lives, so the site works under any base path.
const VERSION = "{{ version }}";
const CACHE = "casebook-" + VERSION;
// Which parts are saved, and when: kept across versions.
const META = "casebook-meta";
const SCOPE = new URL("./", self.location.href).href;
const SAVED = SCOPE + "casebook-saved.json";
const PRECACHE = {{ precache | json_encode() | safe }};
// Help that must work offline before anything is saved: each language's page of help and
// saved parts, and its Get help page.
const HELP = {{ help | json_encode() | safe }};
// [a language's folder, its page of help and saved parts], the longest folder first.
const SAVED_PAGES = {{ saved_pages | json_encode() | safe }};
// How long a page may take before the saved copy is shown instead.
const PATIENCE = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(PRECACHE.concat(HELP).map((path) => keep(cache, SCOPE + path)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (!name.startsWith("casebook-") || name === CACHE || name === META) continue;
        // Carry over pages, pictures and PDFs, so a reader who saved something before the
        // update can still read it offline (with the date it was saved) until it is
        // refreshed. Versioned assets and old search chunks are left behind.
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          const url = new URL(request.url);
          if (url.search.includes("v=") || url.href.startsWith(SCOPE + "pagefind/")) continue;
          if (!(await current.match(request))) await current.put(request, await old.match(request));
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  if (request.mode === "navigate") event.respondWith(page(event));
  else event.respondWith(file(event));
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const port = event.ports[0];
  const reply = (data) => port && port.postMessage(data);
  let work;
  if (message.type === "save") work = save(message.part, reply);
  else if (message.type === "remove") work = remove(message.part).then(() => reply({ removed: true }));
  else if (message.type === "keep") work = caches.open(CACHE).then((c) => keep(c, pageKey(message.url)));
  else if (message.type === "refresh") work = refresh();
  if (work) event.waitUntil(work.catch((error) => reply({ failed: String(error) })));
});

// Pages: the network first, so readers see the current version; the saved copy when there
// is no connection or it is too slow.
async function page(event) {
  const key = pageKey(event.request.url);
  const cache = await caches.open(CACHE);
  const network = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(key, await stamped(response.clone()));
    return response;
  });
  event.waitUntil(network.catch(() => {}));
  const saved = () => cache.match(key).then((hit) => hit && marked(hit));
  try {
    return await Promise.race([
      network,
      delay(PATIENCE).then(async () => (await saved()) || network),
    ]);
  } catch (error) {
    return (await saved()) || notSaved(key);
  }
}

// Other files: versioned and hashed files never change, so the cache answers first; the
// rest comes from the network, falling back on the cache.
async function file(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const immutable =
    url.search.includes("v=") || /\/pagefind\/(index|fragment|filter)\/|\.pf_meta$/.test(url.pathname);
  if (immutable) {
    const hit = await cache.match(request);
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    // Keep what pages use (pictures, styles, search data), not every PDF opened.
    if (response.ok && !url.pathname.endsWith(".pdf")) {
      event.waitUntil(cache.put(request, response.clone()).catch(() => {}));
    }
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: !immutable });
    if (hit) return hit;
    throw error;
  }
}

// Each part's list of files: `offline/en/01-case-screening.json`.
function partList(id) {
  return SCOPE + "offline/" + id + ".json";
}

// Saving a part: every file on its list, a few at a time, reporting progress to the page
// that asked.
async function save(id, reply) {
  const response = await fetch(partList(id), { cache: "no-cache" });
  if (!response.ok) throw new Error("no list of files for " + id);
  const part = await response.json();
  const cache = await caches.open(CACHE);
  await cache.put(partList(id), new Response(JSON.stringify(part)));
  const files = part.files.map((path) => (path.endsWith("/") || path === "" ? pageKey(SCOPE + path) : SCOPE + path));
  let done = 0;
  const queue = files.slice();
  const worker = async () => {
    while (queue.length) {
      await keep(cache, queue.shift());
      done += 1;
      reply({ done, total: files.length });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const saved = await readSaved();
  saved[id] = { at: new Date().toISOString(), version: VERSION };
  await writeSaved(saved);
  reply({ saved: saved[id].at });
}

// Removing a part: its files, except those another saved part also needs.
async function remove(id) {
  const cache = await caches.open(CACHE);
  const listOf = async (part) => (await (await cache.match(partList(part)))?.json())?.files || [];
  const saved = await readSaved();
  delete saved[id];
  await writeSaved(saved);
  const needed = new Set();
  for (const other of Object.keys(saved)) for (const f of await listOf(other)) needed.add(f);
  for (const path of await listOf(id)) {
    if (needed.has(path) || path.startsWith("assets/")) continue;
    await cache.delete(path.endsWith("/") || path === "" ? pageKey(SCOPE + path) : SCOPE + path);
  }
  await cache.delete(partList(id));
}

// After an update, saved parts are fetched again in the new version.
async function refresh() {
  const saved = await readSaved();
  for (const [id, entry] of Object.entries(saved)) {
    if (entry.version !== VERSION) await save(id, () => {});
  }
}

async function keep(cache, url) {
  // Versioned files may come from the browser's cache; anything else is checked with the
  // server.
  const response = await fetch(url, { cache: url.includes("?v=") ? "default" : "no-cache" });
  if (!response.ok) throw new Error(url + ": " + response.status);
  await cache.put(url, await stamped(response));
}

// A copy remembers when it was fetched.
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set("x-casebook-saved", new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// A page served from the cache says so: its <html> carries the date, and the page's
// script shows a note.
async function marked(response) {
  const type = response.headers.get("content-type") || "";
  if (!type.includes("text/html")) return response;
  const at = response.headers.get("x-casebook-saved") || "";
  const text = (await response.text()).replace("<html", '<html data-saved="' + at.replace(/[^0-9TZ:.-]/g, "") + '"');
  return new Response(text, { status: response.status, headers: response.headers });
}

// A page that was not saved, offline: the page of help and saved parts in the reader's
// language (from the folder of the page asked for), with its note that this page is not
// saved shown. Its links are relative to where it lives, hence the <base>.
async function notSaved(url) {
  const path = url.slice(SCOPE.length);
  const entry = SAVED_PAGES.find(([folder]) => path.startsWith(folder));
  const hit = entry && (await (await caches.open(CACHE)).match(SCOPE + entry[1]));
  const headers = { "content-type": "text/html; charset=utf-8" };
  if (hit) {
    const base = '<base href="' + SCOPE + entry[1] + '">';
    const text = (await hit.text()).replace(/<html([^>]*)>/, (tag, attrs) => "<html" + attrs + " data-offline-fallback>" + base);
    return new Response(text, { status: 503, headers });
  }
  const html =
    '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="color-scheme" content="light dark"><title>Offline</title><body style="font:1.1rem/1.5 system-ui,sans-serif;margin:1rem">' +
    "<h1>You are offline</h1><p>This page has not been saved on this phone.</p>" +
    '<p>In an emergency, call 999. <a href="tel:999">Call 999</a></p>' +
    '<p><a href="' + SCOPE + '">Go to the programme</a></p>';
  return new Response(html, { status: 503, headers });
}

// One address per page: `folder/`, whether asked for as `folder/index.html` or with a query.
function pageKey(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/index.html")) u.pathname = u.pathname.slice(0, -"index.html".length);
  return u.href;
}

async function readSaved() {
  const hit = await (await caches.open(META)).match(SAVED);
  return hit ? hit.json() : {};
}

async function writeSaved(saved) {
  await (await caches.open(META)).put(SAVED, new Response(JSON.stringify(saved), { headers: { "content-type": "application/json" } }));
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
