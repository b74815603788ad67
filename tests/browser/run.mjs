// The browser quality gate, run by tests/suite/browser.rs: every HTML page of the built
// sites given on the command line is validated with the Nu Html Checker, then loaded in
// headless Chromium at a 360x740 phone viewport (and at 200% zoom, 180 CSS pixels, for
// sideways scrolling), where axe-core must find no violation (light and dark mode), and
// nothing may scroll sideways, log an error or load from another origin. Pages that only
// repeat another page's text in another language's chrome are loaded once per kind and
// language (see `plan`). A mentee's first visit must stay under the budget (the trainer
// edition's is shown). On every page loaded, each table must sit in a named region that
// scrolls it, never the page: one wider than the screen is a tab stop and shows that it
// scrolls (a shadow at its edge, measured in pixels, and a hint in the reader's language);
// previous and next come before the sources, and "Back to top" ends the page. Keyboard
// use, print (a form's blank rows tall enough to write in) and screenshots are checked on
// chosen pages.
//
//   node run.mjs --screenshots DIR SITE_DIR [SITE_DIR…]
//
// Prints one line per problem and a summary; exits 1 when there is any problem.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { launch, serve } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let screenshots = null;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--screenshots') screenshots = args[++i];
  else sites.push(args[i]);
}
const BUDGET_BYTES = 30 * 1024;
// A workshop's print view holds the whole workshop: its weight follows the content, so it
// has a budget of its own (as in tests/suite/curriculum.rs).
const PRINT_BUDGET_BYTES = 60 * 1024;
// The first screen of a 360x740 phone: the header takes at most this much of it, and a
// lesson's first paragraph starts above the second figure.
const HEADER_MAX = 150;
const FIRST_PARAGRAPH_MAX = 600;
const BUDGET_REQUESTS = 5;
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

function htmlPages(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function urlOf(rel) {
  return rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
}

// 1. The Nu Html Checker, once per site.
function validate(root) {
  const jar = path.join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'json', '--skip-non-html', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const report = JSON.parse(e.stderr.toString() || '{"messages":[]}');
    for (const m of report.messages) problem(`${path.relative(root, new URL(m.url).pathname)}:${m.lastLine ?? '?'}`, `Nu Html Checker: ${m.message}`);
  }
}

const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// axe-core is injected into every page the workers load (an init script).
async function axe(page, options) {
  return page.evaluate((opts) => window.axe.run(document, opts).then((r) => r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} at ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`)), options);
}

// The pixels of a PNG that Chromium wrote (8-bit RGB or RGBA, not interlaced), as
// { width, height, data: RGBA bytes }.
function pngPixels(png) {
  let at = 8, width = 0, height = 0, channels = 4;
  const idat = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') { width = body.readUInt32BE(0); height = body.readUInt32BE(4); channels = body[9] === 6 ? 4 : 3; }
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels] : 0, b = prev[x], c = x >= channels ? prev[x - channels] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      line[x] = (line[x] + predictor) & 255;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * channels + k];
      out[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3] : 255;
    }
    prev = line;
  }
  return { width, height, data: out };
}

// How dark a strip of the screen is: its mean luminance, 0 (black) to 255 (white).
async function luminance(page, clip) {
  const { data } = pngPixels(await page.screenshot({ clip }));
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
  return sum / (data.length / 4);
}

// Tables on a page at 360px, in light mode, with every model answer opened (then closed
// again): each in a region with role=region and a name, that never widens the page. A
// table wider than its region is a tab stop, shows the "scroll" hint above it, and a
// shadow darkens its right edge (the strip is measured with and without the shadow); a
// table that fits shows no hint. Returns what it counted.
async function checkTables(page, where) {
  const counts = { tables: 0, regions: 0, wide: 0, focusable: 0, needless: 0, hints: 0, cues: 0 };
  const opened = await page.evaluate(() => [...document.querySelectorAll('details:not([open])')].map((d, i) => { d.open = true; d.dataset.testOpened = i; return i; }).length);
  // Scroll timelines (the hint) follow layout on the next frames.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const tables = await page.evaluate(() => [...document.querySelectorAll('table')].map((t, i) => {
    const region = t.closest('[role=region]');
    if (!region) return { i, region: false };
    const hint = getComputedStyle(region, '::before');
    const box = region.getBoundingClientRect();
    return {
      i, region: true,
      name: (region.getAttribute('aria-label') ?? '').trim(),
      wide: region.scrollWidth > region.clientWidth,
      tabbable: region.tabIndex === 0 && region.hasAttribute('tabindex'),
      hint: hint.visibility === 'visible' && parseFloat(hint.height) > 0 ? hint.content : '',
      right: box.right,
      page: document.documentElement.clientWidth,
    };
  }));
  for (const t of tables) {
    counts.tables += 1;
    if (!t.region) { problem(where, `table ${t.i + 1} is not in a region of its own`); continue; }
    if (!t.name) { problem(where, `table ${t.i + 1}'s region has no name`); continue; }
    counts.regions += 1;
    if (t.right > t.page + 0.5) problem(where, `the region of "${t.name}" reaches ${Math.round(t.right)}px, past the page's ${t.page}px`);
    if (t.tabbable) counts.focusable += 1;
    if (!t.wide) {
      if (t.tabbable) counts.needless += 1;
      if (t.hint) problem(where, `"${t.name}" fits its region but shows the scroll hint`);
      continue;
    }
    counts.wide += 1;
    if (!t.tabbable) problem(where, `"${t.name}" is wider than the screen but cannot be reached by Tab to scroll it`);
    if (t.hint) counts.hints += 1;
    else problem(where, `"${t.name}" is wider than the screen and shows no "scroll" hint`);
    // The shadow: the right edge's strip, 12px wide, with and without it.
    const region = page.locator('table').nth(t.i).locator('xpath=ancestor::*[@role="region"][1]');
    await region.evaluate((r) => { r.scrollLeft = 0; r.scrollIntoView({ block: 'center' }); });
    const box = await region.boundingBox();
    const top = Math.max(0, box.y);
    const clip = { x: box.x + box.width - 12, y: top, width: 12, height: Math.min(box.y + box.height, 740) - top };
    const shaded = await luminance(page, clip);
    await region.evaluate((r) => { r.style.background = 'none'; });
    const plain = await luminance(page, clip);
    await region.evaluate((r) => r.style.removeProperty('background'));
    if (plain - shaded >= 6) counts.cues += 1;
    else problem(where, `"${t.name}" is wider than the screen but its right edge is not shaded (luminance ${plain.toFixed(1)} without the shadow, ${shaded.toFixed(1)} with it)`);
  }
  if (opened) await page.evaluate(() => document.querySelectorAll('details[data-test-opened]').forEach((d) => { d.open = false; delete d.dataset.testOpened; }));
  await page.evaluate(() => window.scrollTo(0, 0));
  return counts;
}

// The end of a page: previous and next before the sources, "Back to top" last, to the
// main content.
async function checkPageEnd(page, where) {
  const end = await page.evaluate(() => {
    const top = (s) => document.querySelector(s)?.getBoundingClientRect().top ?? null;
    const back = document.querySelector('main .back-to-top a');
    return { pager: top('main .pager'), meta: top('main .page-meta'), back: back?.getAttribute('href') ?? null, last: back ? !back.closest('.back-to-top').nextElementSibling : false };
  });
  if (end.pager === null && end.meta === null) return 0;
  if (end.pager !== null && end.meta !== null && end.pager > end.meta) problem(where, 'previous and next come after the sources');
  if (end.back !== '#main') problem(where, `no "Back to top" link to #main at the end of the page (got ${end.back})`);
  else if (!end.last) problem(where, '"Back to top" is not the last thing on the page');
  return 1;
}

// Which pages are loaded in the browser. Every page goes through the Nu Html Checker, but a
// page that falls back to the default language's text (its "not yet translated" note)
// shows a text checked on its own page inside the chrome of its language, checked on that
// language's own pages: the first such page of each kind in each language is loaded, the
// others are not loaded again. A first visit (fresh cache, bytes and requests counted) is
// measured on the first page of each kind in each language and on the heaviest pages; the
// budget for every page's bytes is also a test without a browser (tests/suite/curriculum.rs).
function plan(root, pages) {
  const seen = new Set();
  const firsts = new Set();
  const loaded = [];
  for (const rel of pages) {
    const html = fs.readFileSync(path.join(root, rel), 'utf8');
    const lang = (html.match(/<html[^>]*\slang="?([\w-]+)/) ?? [])[1] ?? '';
    const kind = (html.match(/<body[^>]*\sclass="?kind-([\w-]+)/) ?? [])[1] ?? '';
    const key = `${lang}/${kind}`;
    const fallback = /class="?notice fallback/.test(html);
    if (fallback && seen.has(`${key}/fallback`)) continue;
    if (fallback) seen.add(`${key}/fallback`);
    if (!seen.has(key)) {
      seen.add(key);
      firsts.add(rel);
    }
    loaded.push(rel);
  }
  const heaviest = [...pages].sort((a, b) => fs.statSync(path.join(root, b)).size - fs.statSync(path.join(root, a)).size).slice(0, 8);
  for (const rel of heaviest) firsts.add(rel);
  for (const rel of heaviest) if (!loaded.includes(rel)) loaded.push(rel);
  return { loaded, fresh: firsts };
}

async function checkSite(browser, root) {
  const name = path.basename(root);
  validate(root);
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}/`;
  const pages = htmlPages(root).filter((p) => p !== '404.html');
  const { loaded, fresh } = plan(root, pages);
  // The budget is for mentees, on prepaid data; the trainer edition's figures are shown.
  const trainer = fs.readFileSync(path.join(root, 'index.html'), 'utf8').includes('edition-banner');
  let worst = { bytes: 0, requests: 0, page: '' };
  // The tallest header and the lowest first paragraph of a lesson, by language and kind.
  const screen = new Map();
  const tally = { tables: 0, regions: 0, wide: 0, focusable: 0, needless: 0, hints: 0, cues: 0, ends: 0 };
  // A first visit: a fresh context, no cache, every request counted.
  const firstVisit = async (rel) => {
    const where = `${name}/${urlOf(rel) || '(home)'}`;
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r));
    await page.goto(origin + urlOf(rel), { waitUntil: 'load' });
    let bytes = 0, count = 0;
    for (const r of requests) {
      if (!r.url().startsWith(origin)) { problem(where, `loads from another origin: ${r.url()}`); continue; }
      if (/\.(pdf|png|jpe?g|gif|webp|svg)(\?|$)/.test(r.url())) continue;
      const response = await r.response();
      count += 1;
      bytes += response ? Number((await response.allHeaders())['content-length'] || 0) : 0;
    }
    if (bytes > worst.bytes) worst = { bytes, requests: count, page: where };
    const budget = /(^|\/)print\/index\.html$/.test(rel) ? PRINT_BUDGET_BYTES : BUDGET_BYTES;
    if (!trainer && bytes > budget) problem(where, `first visit transfers ${bytes} bytes, over the ${budget} budget`);
    if (count > BUDGET_REQUESTS) problem(where, `first visit makes ${count} requests, over the ${BUDGET_REQUESTS} budget`);
    await context.close();
  };
  // Every page loaded: in one page per worker (service workers off, axe injected at every
  // load), each checked for console errors, requests to other origins, sideways scrolling
  // and axe in light and dark mode.
  const worker = async (queue) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    await context.addInitScript({ content: axeSource });
    const page = await context.newPage();
    let errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) errors.push(`loads from another origin: ${r.url()}`); });
    while (queue.length) {
      const rel = queue.shift();
      const where = `${name}/${urlOf(rel) || '(home)'}`;
      errors = [];
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(origin + urlOf(rel), { waitUntil: 'load' });
      for (const e of errors) problem(where, e.startsWith('loads from') ? e : `console error: ${e}`);
      const first = await page.evaluate(() => {
        const header = document.querySelector('.site-header').getBoundingClientRect().height;
        const kind = document.body.className.match(/kind-([\w-]+)/)?.[1] ?? '';
        const p = kind === 'lesson' ? [...document.querySelectorAll('main p')].find((e) => !e.closest('.notice, .toc, .page-meta, .meta') && e.offsetParent) : null;
        return { lang: document.documentElement.lang, kind, header: Math.round(header), paragraph: p ? Math.round(p.getBoundingClientRect().top) : null };
      });
      const key = `${first.lang} ${first.kind}`;
      const seen = screen.get(key) ?? { header: 0, paragraph: 0, page: '' };
      if (first.header > seen.header) Object.assign(seen, { header: first.header, page: where });
      seen.paragraph = Math.max(seen.paragraph, first.paragraph ?? 0);
      screen.set(key, seen);
      if (!trainer && first.header > HEADER_MAX) problem(where, `the header is ${first.header}px tall at 360x740, over ${HEADER_MAX}px`);
      if (!trainer && first.paragraph > FIRST_PARAGRAPH_MAX) problem(where, `the lesson's first paragraph starts at ${first.paragraph}px, below ${FIRST_PARAGRAPH_MAX}px`);
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const overflow = await sideways();
      if (overflow > 0) problem(where, `scrolls sideways by ${overflow}px at 360px`);
      // Zoomed to 200%, a 360px phone is 180 CSS pixels wide: still one column, no sideways scrolling.
      await page.setViewportSize({ width: 180, height: 370 });
      const zoomed = await sideways();
      if (zoomed > 0) problem(where, `scrolls sideways by ${zoomed}px at 200% zoom (180 CSS pixels)`);
      await page.setViewportSize({ width: 360, height: 740 });
      for (const v of await axe(page, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] })) problem(where, `axe (light): ${v}`);
      for (const [k, n] of Object.entries(await checkTables(page, where))) tally[k] += n;
      tally.ends += await checkPageEnd(page, where);
      await page.emulateMedia({ colorScheme: 'dark' });
      for (const v of await axe(page, { runOnly: ['color-contrast'] })) problem(where, `axe (dark): ${v}`);
    }
    await context.close();
  };
  // Two at a time: one per core.
  const firsts = [...fresh];
  const visit = async () => { while (firsts.length) await firstVisit(firsts.shift()); };
  await Promise.all([visit(), visit()]);
  const queue = [...loaded];
  await Promise.all([worker(queue), worker(queue)]);
  console.log(`${name}: tallest header and lowest first lesson paragraph at 360x740, by language and kind:`);
  for (const [key, s] of [...screen].sort()) console.log(`  ${key.padEnd(20)} header ${s.header}px${s.paragraph ? `, first paragraph at ${s.paragraph}px` : ''} (${s.page})`);
  console.log(`${name}: ${pages.length} pages validated, ${loaded.length} loaded in the browser (${pages.length - loaded.length} more that fall back to the default language's text), ${fresh.size} first visits measured; heaviest first visit ${worst.bytes} bytes in ${worst.requests} requests (${worst.page})`);
  console.log(`${name}: ${tally.tables} tables measured at 360px, ${tally.regions} in named regions, ${tally.wide} wider than the screen (${tally.hints} show the scroll hint, ${tally.cues} a shaded edge); ${tally.focusable} regions are tab stops, ${tally.needless} of them for tables that fit at 360px; ${tally.ends} page ends checked`);
  return { server, origin, pages };
}

// 2. Keyboard: skip link first, visible focus, answers and menus by keyboard alone.
async function checkKeyboard(browser, origin, name) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const fact = fs.existsSync(path.join(name, 'fact-patterns/agency-fees/index.html')) ? 'fact-patterns/agency-fees/' : null;
  await page.goto(origin + (fact ?? ''));
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, top: document.activeElement.getBoundingClientRect().top, bg: getComputedStyle(document.activeElement).backgroundColor }));
  if (first.cls !== 'skip-link' || first.top < 0) problem('keyboard', `the first Tab should show the skip link, got ${JSON.stringify(first)}`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => { const e = document.activeElement; const s = getComputedStyle(e); return { tag: e.tagName, bg: s.backgroundColor, shadow: s.boxShadow }; });
  if (focused.bg === 'rgba(0, 0, 0, 0)' && focused.shadow === 'none') problem('keyboard', `focus is not visible on ${focused.tag}`);
  if (fact && (await page.locator('details.answer > summary').count()) > 0) {
    await page.focus('details.answer > summary');
    await page.keyboard.press('Enter');
    if (!(await page.evaluate(() => document.querySelector('details.answer').open))) problem('keyboard', 'Enter on "Show model answer" does not open the answer');
    const langs = await page.evaluate(() => [...document.querySelectorAll('.languages a')].map((a) => a.tabIndex));
    if (langs.some((t) => t < 0)) problem('keyboard', 'a language link cannot be reached by Tab');
  }
  // A table wider than the screen: reached by Tab, scrolled with the arrow keys, its focus
  // shown.
  if (fs.existsSync(path.join(name, 'toolkit/timeline-template/index.html'))) {
    await page.goto(origin + 'toolkit/timeline-template/');
    let region = null;
    for (let i = 0; i < 60 && !region; i++) {
      await page.keyboard.press('Tab');
      region = await page.evaluate(() => { const e = document.activeElement; return e.getAttribute('role') === 'region' && e.scrollWidth > e.clientWidth ? e.getAttribute('aria-label') : null; });
    }
    if (!region) problem('keyboard', 'Tab never reaches a table wider than the screen on the timeline template');
    else {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      const seen = await page.evaluate(() => { const e = document.activeElement; const s = getComputedStyle(e); return { left: e.scrollLeft, outline: s.outlineStyle, width: s.outlineWidth }; });
      if (seen.left <= 0) problem('keyboard', `the arrow keys do not scroll the table "${region}"`);
      if (seen.outline === 'none' || seen.width === '0px') problem('keyboard', `the focused table "${region}" shows no focus ring`);
    }
  }
  await context.close();
}

// 3. Print: the print view of a workshop, printed to PDF by Chromium.
async function checkPrint(browser, origin, root) {
  const workshop = fs.readdirSync(root).find((d) => /^\d\d-/.test(d) && fs.existsSync(path.join(root, d, 'print/index.html')));
  if (!workshop) return;
  const page = await browser.newPage();
  await page.goto(`${origin}${workshop}/print/`);
  await page.emulateMedia({ media: 'print' });
  const cut = await page.evaluate(() => [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length);
  if (cut > 0) problem(`${workshop}/print`, `${cut} tables are cut off in print`);
  const file = path.join(fs.mkdtempSync('/tmp/casebook-print-'), 'print.pdf');
  await page.pdf({ path: file, format: 'A4', printBackground: false });
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  if (text.includes('Skip to main content') || /\bSchedule\s+Exercises\s+Toolkit\b/.test(text)) problem(`${workshop}/print`, 'navigation chrome is printed');
  if (!/\(https?:\/\//.test(text)) problem(`${workshop}/print`, 'link URLs are not printed');
  // The toolkit's forms, printed: every row with a blank cell is at least 2em tall (of its
  // table's text), room for a line of handwriting.
  if (fs.existsSync(path.join(root, 'toolkit/print/index.html'))) {
    await page.goto(`${origin}toolkit/print/`);
    const rows = await page.evaluate(() => [...document.querySelectorAll('.fill-in tbody tr')].filter((r) => r.querySelector('td:empty')).map((r) => ({ table: r.closest('[role=region]').getAttribute('aria-label'), em: r.getBoundingClientRect().height / parseFloat(getComputedStyle(r.closest('table')).fontSize) })));
    const short = rows.filter((r) => r.em < 2);
    if (rows.length < 50) problem('toolkit/print', `only ${rows.length} blank rows of forms found to print`);
    for (const r of short.slice(0, 5)) problem('toolkit/print', `a blank row of "${r.table}" prints ${r.em.toFixed(2)}em tall, under 2em`);
    console.log(`print: ${rows.length} blank rows of ${new Set(rows.map((r) => r.table)).size} forms in the toolkit's print view, the shortest ${Math.min(...rows.map((r) => r.em)).toFixed(2)}em tall`);
  }
  await page.close();
}

// 4. Screenshots for a reviewer (not committed).
async function takeScreenshots(browser, origin, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const shots = [['home', ''], ['workshop', '05-employment-agencies/'], ['fact-pattern', 'fact-patterns/agency-fees/'], ['directory', 'toolkit/referrals/']];
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, url] of shots) {
      await page.goto(origin + url);
      await page.screenshot({ path: path.join(dir, `${name}-${scheme}.png`), fullPage: true });
      if (name === 'fact-pattern') {
        await page.click('details.answer > summary');
        await page.locator('details.answer').first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(dir, `${name}-answer-shown-${scheme}.png`) });
      }
    }
    await context.close();
  }
  console.log(`screenshots in ${dir}`);
}

const browser = await launch();
try {
  for (const [i, root] of sites.entries()) {
    const { server, origin } = await checkSite(browser, root);
    if (i === 0) {
      await checkKeyboard(browser, origin, root);
      await checkPrint(browser, origin, root);
      if (screenshots) await takeScreenshots(browser, origin, screenshots);
    }
    server.close();
  }
} finally {
  await browser.close();
}
for (const p of problems) console.log(p);
console.log(`${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
