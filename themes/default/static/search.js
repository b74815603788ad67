// The search page. Pagefind's script, index and excerpts are fetched only once the reader
// shows an intent to search (the box gets the focus, or the page opens with a query), and
// then only the chunks a query needs. What every search needs is asked for at once, side
// by side: pagefind's script, and its WASM (the largest file) by a preload that pagefind's
// own request then takes, rather than after the script and the index's entry file. The
// page's own words come from data- attributes, in the reader's language.
const box = document.getElementById("search");
if (box) start(box);

function start(box) {
  const form = box.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const status = box.querySelector(".search-status");
  const list = box.querySelector(".search-results");
  const more = box.querySelector(".search-more");
  const contents = document.getElementById("contents");
  const selects = Array.from(box.querySelectorAll("select[data-filter]"));
  // Five at a time, like pagefind's own interface: each result costs a download.
  const PAGE = 5;
  let pagefind = null;
  let results = [];
  let shown = 0;
  let generation = 0;
  let timer = 0;

  const say = (key, vars = {}) =>
    (box.dataset[key] || "").replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");

  // pagefind once its WASM and metadata are in (it fetches the chunks a query needs
  // itself from then on), and casebook's list of the index's chunks until then.
  let ready = null;
  let chunks = null;

  function load() {
    if (!pagefind) {
      // The bundle's address is relative to the page, not to this script.
      const url = new URL(box.dataset.bundle, document.baseURI).href;
      preload(box.dataset.wasm);
      if (box.dataset.chunks && !chunks) {
        fetch(new URL(box.dataset.chunks, document.baseURI), { cache: "no-cache" })
          .then((r) => (r.ok ? r.json() : Promise.reject()))
          .then((list) => {
            chunks = list;
            warm(input.value);
          })
          .catch(() => {});
      }
      pagefind = import(url).then(async (pf) => {
        // No web worker: casebook does not ship it (see src/render/search.rs).
        await pf.options({ excerptLength: 24, noWorker: true });
        await pf.init();
        ready = pf;
        return pf;
      });
      pagefind.catch(() => {
        pagefind = null;
      });
    }
    return pagefind;
  }

  // The index chunks a query needs, asked for before pagefind can: as pagefind's WASM
  // picks them, for each word of the query (in lowercase, without punctuation or accents)
  // the chunk whose first and last words it sorts between, and the chunk of its stem.
  // Without pagefind's stemmer at hand, the stem is taken to be a beginning of the word
  // (English "employment" → "employ"), as it mostly is; where it is not, pagefind fetches
  // its chunk itself. Languages written without spaces are left to pagefind, which splits
  // them into words.
  const stemmed = !/\bwasm\.unknown\./.test(box.dataset.wasm || "");
  function warm(query) {
    if (ready || !chunks || /^(zh|ja|th)\b/i.test(document.documentElement.lang)) return;
    const words = Array.from(query.toLocaleLowerCase())
      .filter((c) => !/^[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]$/u.test(c))
      .join("")
      .normalize("NFD")
      .replace(/(?![\u3099\u309A])\p{M}/gu, "")
      .split(/\s+/)
      .filter(Boolean);
    const files = new Set();
    for (const word of words) {
      const forms = [word];
      if (stemmed) for (let n = Math.min(3, word.length); n < word.length; n++) forms.push(word.slice(0, n));
      for (const form of forms) {
        for (const [first, last, file] of chunks) if (form >= first && form <= last) files.add(file);
      }
    }
    const base = new URL(box.dataset.chunks, document.baseURI);
    for (const file of files) preload(new URL(file, base).href);
  }

  // A file pagefind will fetch, asked for now (once): its fetch takes this response.
  function preload(path) {
    if (!path) return;
    const href = new URL(path, document.baseURI).href;
    if (document.querySelector(`link[rel=preload][href="${CSS.escape(href)}"]`)) return;
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.append(link);
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++generation;
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    const address = new URL(location.href);
    if (query) address.searchParams.set("q", query);
    else address.searchParams.delete("q");
    history.replaceState(null, "", address);
    // Results take the place of the list of all pages, which would otherwise be pushed
    // down as they arrive.
    const searching = Boolean(query) || Object.keys(filters).length > 0;
    if (contents) contents.hidden = searching;
    // Room for the results, so that nothing below jumps as they arrive.
    box.classList.toggle("searching", searching);
    if (!searching) {
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return;
    }
    status.textContent = say("loading");
    let found;
    try {
      const loading = load();
      warm(query);
      const pf = await loading;
      found = await pf.search(query || null, { filters });
    } catch (error) {
      if (mine === generation) status.textContent = say("failed");
      return;
    }
    if (mine !== generation || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    const offline = navigator.onLine === false;
    // Offline, a result can be listed only if its excerpt was saved with its part.
    const count = offline ? await showAll(mine) : (await showMore(mine), results.length);
    if (mine !== generation) return;
    const shownQuery = query || selects.map((s) => s.value).filter(Boolean).join(", ");
    let text =
      count === 0
        ? say("noResults", { query: shownQuery })
        : count === 1
          ? say("oneResult", { query: shownQuery })
          : say("results", { count, query: shownQuery });
    if (offline) text += " " + say("offlineNote");
    status.textContent = text;
  }

  // The next results, each shown as soon as it and those before it have arrived. A
  // search's first result is asked for alone: on a slow connection it comes sooner than
  // when it shares the line with the four after it, which are asked for once it is in.
  async function showMore(mine) {
    const next = results.slice(shown, shown + PAGE);
    shown += next.length;
    const data = (r) => r.data().catch(() => null);
    const first = list.children.length === 0 && next.length > 1;
    let loading = first ? [data(next[0])] : next.map(data);
    let added = 0;
    for (let i = 0; i < next.length; i++) {
      const one = await loading[i];
      if (mine !== generation) return added;
      if (one) {
        list.append(item(one));
        added += 1;
      }
      if (first && i === 0) loading = loading.concat(next.slice(1).map(data));
    }
    more.hidden = shown >= results.length;
    return added;
  }

  async function showAll(mine) {
    let added = 0;
    while (shown < results.length && mine === generation) added += await showMore(mine);
    more.hidden = true;
    return added;
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    // A page not yet translated: its title in the reader's language where one is known,
    // else its own title, marked as in its own language.
    if (data.meta.title_lang) link.lang = data.meta.title_lang;
    heading.append(link);
    li.append(heading);
    const part = data.meta.workshop;
    const level = (data.filters.level || [])[0];
    const untranslated = data.meta.original ? say("untranslated") : "";
    if (part || level || untranslated) {
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [part, level, untranslated].filter(Boolean).join(" · ");
      li.append(meta);
    }
    const excerpt = document.createElement("p");
    // Pagefind escapes the page text and adds only <mark> around the matched words.
    excerpt.innerHTML = data.excerpt;
    li.append(excerpt);
    return li;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
    // The index chunks of what is typed so far, fetched while the reader types on.
    const words = input.value.trim();
    if (ready && words) ready.preload(words).catch(() => {});
  });
  // Start fetching pagefind as soon as the reader shows an intent to search.
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });
  if (document.activeElement === input) load().catch(() => {});
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", async () => {
    const first = list.children.length;
    await showMore(generation);
    list.children[first]?.querySelector("a")?.focus();
  });

  const query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    run();
  }
}
