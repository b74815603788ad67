// The search page. Pagefind's script, index and excerpts are fetched only once the reader
// searches, and then only the chunks a query needs. The page's own words come from data-
// attributes, in the reader's language.
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

  function load() {
    if (!pagefind) {
      // The bundle's address is relative to the page, not to this script.
      const url = new URL(box.dataset.bundle, document.baseURI).href;
      pagefind = import(url).then(async (pf) => {
        // No web worker: casebook does not ship it (see src/render/search.rs).
        await pf.options({ excerptLength: 24, noWorker: true });
        await pf.init();
        return pf;
      });
      pagefind.catch(() => {
        pagefind = null;
      });
    }
    return pagefind;
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
      const pf = await load();
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

  async function showMore(mine) {
    const next = results.slice(shown, shown + PAGE);
    shown += next.length;
    const loaded = await Promise.allSettled(next.map((r) => r.data()));
    if (mine !== generation) return 0;
    let added = 0;
    for (const r of loaded) {
      if (r.status === "fulfilled") {
        list.append(item(r.value));
        added += 1;
      }
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
    heading.append(link);
    li.append(heading);
    const part = data.meta.workshop;
    const level = (data.filters.level || [])[0];
    if (part || level) {
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [part, level].filter(Boolean).join(" · ");
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
  });
  // Start fetching pagefind as soon as the reader shows an intent to search.
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });
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
