// The script of every page: the header's search field gets the focus when it opens; and
// offline reading: registers the service worker, shows a note on a saved copy, lists the
// parts saved on this phone, and runs the "Save for offline" control of workshops and the
// toolkit. Without JavaScript or service workers, none of this shows and the site works as
// before.
(function () {
  const search = document.querySelector(".search-toggle");
  if (search) search.addEventListener("toggle", () => search.open && search.querySelector("input").focus());
  // The directory says which services with opening times are open now, on Hong Kong's
  // clock (UTC+8, no daylight saving). Without JavaScript each entry still shows its times.
  const hk = new Date(Date.now() + 8 * 3600e3);
  const today = (hk.getUTCDay() + 6) % 7;
  const now = hk.getUTCHours() * 60 + hk.getUTCMinutes();
  const minutes = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(2));
  for (const mark of document.querySelectorAll(".answers[data-open]")) {
    const open = mark.dataset.open.split(";").some((span) => {
      const [days, times] = span.split(" ");
      const on = days.split(",").some((d) => { const [a, b] = d.split("-").map(Number); return today >= a && today <= b; });
      return on && times.split(",").some((t) => { const [a, b] = t.split("-").map(minutes); return now >= a && now < b; });
    });
    mark.textContent = open ? mark.dataset.now : mark.dataset.closed;
    mark.classList.add(open ? "answers-open" : "answers-closed");
    mark.hidden = false;
  }
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !window.caches) return;
  const root = new URL(script.dataset.root || "./", document.baseURI);
  const lang = document.documentElement.lang;
  const date = (iso) => {
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    try {
      return d.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  };
  const fill = (text, vars) => (text || "").replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");

  // Registered once the page has loaded, so that what the worker keeps when it installs
  // (help in every language) never slows the page a reader is waiting for.
  const register = () => navigator.serviceWorker.register(new URL("sw.js", root).href).catch(() => {});
  if (document.readyState === "complete") register();
  else addEventListener("load", register);

  // A copy from the cache says when it was saved: the service worker marks the copies it
  // serves, and a page read offline (perhaps from the browser's own cache) looks it up.
  const note = document.querySelector(".offline-note");
  const showSaved = (at) => {
    if (!at || !note) return;
    note.textContent = fill(note.dataset.text, { date: date(at) });
    note.hidden = false;
  };
  if (document.documentElement.dataset.saved) showSaved(document.documentElement.dataset.saved);
  else if (navigator.onLine === false) {
    const here = new URL(location.href);
    here.search = "";
    here.hash = "";
    here.pathname = here.pathname.replace(/index\.html$/, "");
    caches.match(here.href).then((hit) => showSaved(hit && hit.headers.get("x-casebook-saved")));
  }

  const ask = async (message, onReply) => {
    const registration = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => onReply && onReply(event.data);
    registration.active.postMessage(message, [channel.port2]);
  };

  // The first page a reader opens is kept too, once the worker runs; after an update,
  // saved parts are fetched again.
  navigator.serviceWorker.ready.then(() => {
    if (!navigator.serviceWorker.controller) ask({ type: "keep", url: location.href });
    if (navigator.onLine !== false) ask({ type: "refresh" });
  });

  for (const box of document.querySelectorAll(".offline-save[data-part]")) control(box);
  const savedList = document.querySelector(".saved-parts");
  if (savedList) listSaved(savedList);

  // The page of help and saved parts lists what is saved, in the order it was saved.
  async function listSaved(list) {
    const hit = await (await caches.open("casebook-meta")).match(new URL("casebook-saved.json", root).href);
    const saved = Object.entries(hit ? await hit.json() : {}).sort((a, b) => (a[1].at < b[1].at ? -1 : 1));
    const items = [];
    for (const [id, entry] of saved) {
      const part = await caches.match(new URL("offline/" + id + ".json", root).href).then((r) => r && r.json()).catch(() => null);
      if (!part) continue;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = new URL(part.url, root).href;
      a.lang = part.lang;
      a.textContent = part.title;
      li.append(a, " ", fill(list.dataset.when, { date: date(entry.at) }));
      items.push(li);
    }
    if (items.length) list.replaceChildren(...items);
  }

  async function control(box) {
    const id = box.dataset.part;
    const saveButton = box.querySelector(".offline-save-button");
    const removeBox = box.querySelector(".offline-remove");
    const progressBox = box.querySelector(".offline-progress");
    const bar = progressBox.querySelector("progress");
    const progressText = progressBox.querySelector(".offline-progress-text");
    const status = box.querySelector(".offline-status");

    const show = (savedAt) => {
      saveButton.parentElement.hidden = Boolean(savedAt);
      removeBox.hidden = !savedAt;
      status.textContent = savedAt ? fill(box.dataset.saved, { date: date(savedAt) }) : "";
    };
    const meta = await caches.open("casebook-meta");
    const hit = await meta.match(new URL("casebook-saved.json", root).href);
    const list = hit ? await hit.json() : {};
    show(list[id] && list[id].at);
    box.hidden = false;

    saveButton.addEventListener("click", () => {
      saveButton.disabled = true;
      progressBox.hidden = false;
      bar.value = 0;
      status.textContent = "";
      ask({ type: "save", part: id }, (reply) => {
        if (reply.total) {
          bar.max = reply.total;
          bar.value = reply.done;
          progressText.textContent = fill(box.dataset.saving, { done: reply.done, total: reply.total });
        } else if (reply.saved) {
          progressBox.hidden = true;
          saveButton.disabled = false;
          show(reply.saved);
          removeBox.querySelector("button").focus();
        } else if (reply.failed) {
          progressBox.hidden = true;
          saveButton.disabled = false;
          status.textContent = box.dataset.failed;
        }
      });
    });
    removeBox.querySelector("button").addEventListener("click", () => {
      ask({ type: "remove", part: id }, () => {
        show(null);
        saveButton.focus();
      });
    });
  }
})();

// The search field of every page (`#search-q`): once it has the focus, what the search page
// will need is fetched while the reader types: its script, pagefind's script, and the
// WASM and metadata that pagefind's entry file names for this language. Prefetched files
// wait in the browser's cache for the search page, which would otherwise ask for them one
// after another.
(function () {
  const script = document.currentScript;
  const field = document.getElementById("search-q");
  if (!script || !field || !window.fetch) return;
  const bundle = new URL("pagefind/", new URL(script.dataset.root || "./", document.baseURI));
  const prefetch = (url) => {
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.href = url;
    document.head.append(link);
  };
  const warm = async () => {
    prefetch(new URL("search.js" + new URL(script.src).search, script.src).href);
    prefetch(new URL("pagefind.js", bundle).href);
    try {
      const entry = await (await fetch(new URL("pagefind-entry.json", bundle))).json();
      const lang = document.documentElement.lang.toLowerCase();
      const index = entry.languages[lang] || entry.languages[lang.split("-")[0]];
      if (!index) return;
      prefetch(new URL(`wasm.${index.wasm || "unknown"}.pagefind`, bundle).href);
      prefetch(new URL(`pagefind.${index.hash}.pf_meta`, bundle).href);
    } catch (e) {
      // Offline, or no index: the search page says so when it is opened.
    }
  };
  field.addEventListener("focus", warm, { once: true });
})();
