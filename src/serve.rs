//! `casebook serve`: the site in memory, served on 127.0.0.1 (the only user of axum), rebuilt
//! on every save and reloaded in the open browser tabs.
//!
//! Pages get a small script that waits (long polling, `/__casebook/wait`) for the next
//! rebuild and reloads the tab if its page changed, keeping the scroll position. While the
//! site has errors, every page shows them in an overlay; it goes when they are fixed. What
//! `check` says of the files edited (personal data, accessibility, freshness) is a note
//! the reader can close; it never hides the page.
//!
//! The edition asked for is served at `/`, the other below `/__casebook/trainer/` (or
//! `/__casebook/mentee/`), rendered from the first request for it on; every page has a
//! switch to the same page in the other edition. All of it is added here, as pages are
//! served: nothing of it is in what `build` writes.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;

use crate::config::Edition;
use crate::preview::{Pages, Preview, Served, Snapshot, other, prefix};
use crate::render::{self, offline::PART_MARK};

/// What `casebook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub edition: Edition,
    pub drafts: bool,
    pub pdf: bool,
    pub open: bool,
    pub poll: bool,
}

/// The last rebuild, as the waiting browser tabs learn of it.
#[derive(Debug, Clone)]
struct Change {
    version: u64,
    pages: Arc<Pages>,
}

#[derive(Clone)]
struct Shared {
    snapshot: Arc<RwLock<Arc<Snapshot>>>,
    changes: watch::Receiver<Change>,
    /// To the rebuilding thread.
    jobs: mpsc::Sender<Job>,
}

/// What the rebuilding thread is asked to do.
enum Job {
    /// Files changed (relative to the site root).
    Changed(Vec<PathBuf>),
    /// A reader asked for the other edition: render it from now on.
    ShowOther,
}

/// Runs until the process is stopped. Errors are for what stops it from starting (the
/// port is taken, the folder cannot be watched).
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let mut preview = Preview::new(&opts.root, opts.edition, opts.drafts, opts.pdf);
    let first = preview.rebuild(&[]);
    let finished = preview.finish();
    let (tx, rx) = watch::channel(Change {
        version: preview.snapshot().version,
        pages: Arc::new(Pages::All),
    });
    let (jobs, jobs_rx) = mpsc::channel::<Job>();
    let shared = Shared {
        snapshot: Arc::new(RwLock::new(Arc::new(preview.snapshot().clone()))),
        changes: rx,
        jobs: jobs.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::new(
            opts.bind, opts.port,
        )))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {} is already in use: stop what uses it, or pass another one with `--port`",
                opts.port
            ),
            _ => format!("cannot listen on {}:{}: {e}", opts.bind, opts.port),
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let host = if address.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        address.ip()
    };
    let url = format!("http://{}/", SocketAddr::new(host, address.port()));
    // Watching starts before the address is printed: an edit made as soon as it is
    // known is seen. Rebuilds run on their own thread, one at a time, each after a burst
    // of changes.
    let _watcher = crate::watch::watch(&opts.root, opts.poll, move |paths| {
        let _ = jobs.send(Job::Changed(paths));
    })?;
    // The first line is the address, for scripts and tests to read.
    println!(
        "serving the {} edition of `{}` at {url} and the {} edition at {url}{} (Ctrl+C to stop)",
        opts.edition.name(),
        opts.root.display(),
        other(opts.edition).name(),
        prefix(other(opts.edition)),
    );
    report(&opts.root, "first build", &first, Some(&finished), preview.error());

    let publish = shared.snapshot.clone();
    let root = opts.root.clone();
    std::thread::spawn(move || {
        while let Ok(job) = jobs_rx.recv() {
            let mut paths = Vec::new();
            let mut show_other = false;
            for job in std::iter::once(job).chain(std::iter::from_fn(|| jobs_rx.try_recv().ok())) {
                match job {
                    Job::Changed(more) => paths.extend(more),
                    Job::ShowOther => show_other |= preview.add_other(),
                }
            }
            if paths.is_empty() && !show_other {
                continue;
            }
            paths.sort();
            paths.dedup();
            let rebuilt = preview.rebuild(&paths);
            if rebuilt.pages != Pages::None {
                *publish.write().expect("snapshot lock") = Arc::new(preview.snapshot().clone());
                tx.send_replace(Change {
                    version: preview.snapshot().version,
                    pages: Arc::new(rebuilt.pages.clone()),
                });
            }
            let mut what = describe(&paths);
            if show_other {
                let asked = format!("the {} edition asked for", other(preview.edition()).name());
                what = if what.is_empty() { asked } else { format!("{asked}, {what}") };
            }
            if preview.error().is_some() || rebuilt.pages == Pages::None {
                report(&root, &what, &rebuilt, None, preview.error());
                continue;
            }
            let before = preview.snapshot().version;
            let finished = preview.finish();
            *publish.write().expect("snapshot lock") = Arc::new(preview.snapshot().clone());
            // The index or a PDF failed: every page shows it.
            if preview.snapshot().version != before {
                tx.send_replace(Change {
                    version: preview.snapshot().version,
                    pages: Arc::new(Pages::All),
                });
            }
            report(&root, &what, &rebuilt, Some(&finished), preview.error());
        }
    });

    if opts.open {
        open_browser(&url);
    }
    let bind = opts.bind;
    let port = address.port();
    let app = Router::new()
        .route("/__casebook/live.js", get(live_script))
        .route("/__casebook/wait", get(wait))
        .fallback(get(file))
        .with_state(shared)
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| async move {
                let host = request
                    .headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok());
                if host.is_some_and(|host| addressed_to(host, bind, port)) {
                    next.run(request).await
                } else {
                    misdirected(port)
                }
            },
        ));
    runtime
        .block_on(async move { axum::serve(listener, app).await })
        .map_err(|e| format!("the server stopped: {e}"))
}

/// Whether a request whose `Host` header is `host` is addressed to this server, listening
/// on `bind` and `port`: `localhost` or an address of the server, never another name, so
/// that a web page elsewhere cannot reach the preview through a name it controls (DNS
/// rebinding).
fn addressed_to(host: &str, bind: IpAddr, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        // `[::1]:8000`, `127.0.0.1:8000`, `localhost:8000`; a bare `::1` has no port.
        Some((name, p)) if !name.is_empty() && (!name.contains(':') || name.ends_with(']')) => {
            (name, p.parse::<u16>().ok())
        }
        _ => (host, Some(80)),
    };
    if given != Some(port) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => bind.is_unspecified() || ip == bind || (bind.is_loopback() && ip.is_loopback()),
        Err(_) => false,
    }
}

/// The answer to a request addressed to another host.
fn misdirected(port: u16) -> Response {
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("casebook serve answers only requests addressed to it, such as http://127.0.0.1:{port}/ or http://localhost:{port}/\n"),
    )
        .into_response()
}

/// One line per rebuild: what changed, what was rebuilt, how long it took.
fn report(
    root: &std::path::Path,
    what: &str,
    rebuilt: &crate::preview::Rebuilt,
    finished: Option<&crate::preview::Finished>,
    error: Option<&str>,
) {
    // The second step's warnings; its errors are in `error`, as a rebuild's are.
    for d in finished.iter().flat_map(|f| &f.diagnostics) {
        if !d.is_error() {
            eprintln!("{}", d.render(root, false));
        }
    }
    if let Some(error) = error {
        eprintln!("{error}");
        let errors = rebuilt.errors
            + finished.map_or(0, |f| f.diagnostics.iter().filter(|d| d.is_error()).count());
        println!(
            "{what}: {}, shown in the browser; fix and save to rebuild",
            crate::diag::plural(errors.max(1), "error")
        );
        return;
    }
    // What `check` says of the files saved, above the line that counts them.
    for f in &rebuilt.checked {
        eprintln!("{}", f.diagnostic.render(root, false));
    }
    let mut line = match &rebuilt.pages {
        Pages::None => format!("{what}: nothing to rebuild"),
        Pages::All if rebuilt.rendered == 0 => format!("{what}: pages reloaded"),
        _ => format!(
            "{what}: {} rebuilt in {} ms",
            crate::diag::plural(rebuilt.rendered, "page"),
            rebuilt.elapsed.as_millis()
        ),
    };
    if let Some((edition, pages)) = rebuilt.other
        && rebuilt.rendered > 0
    {
        line.push_str(&format!(" ({pages} of them in the {} edition)", edition.name()));
    }
    if rebuilt.drafts > 0 {
        line.push_str(&format!(
            "; {} shown marked \"Draft\" (`build` leaves {} out)",
            crate::diag::plural(rebuilt.drafts, "draft"),
            if rebuilt.drafts == 1 { "it" } else { "them" }
        ));
    }
    if let Some(f) = finished {
        line.push_str(&format!("; search index in {} ms", f.search.as_millis()));
        if f.pdfs_total > 0 {
            line.push_str(&format!(
                "; {} of {} PDFs typeset in {:.1} s",
                f.pdfs_typeset,
                f.pdfs_total,
                f.pdf_time.as_secs_f64()
            ));
        }
    }
    if rebuilt.warnings > 0 {
        line.push_str(&format!(
            " ({})",
            crate::diag::plural(rebuilt.warnings, "warning")
        ));
    }
    if !rebuilt.checked.is_empty() {
        let mut kinds: Vec<&str> = rebuilt.checked.iter().map(|f| f.kind.title()).collect();
        kinds.dedup();
        line.push_str(&format!(
            "; check: {} ({}), shown on the page",
            crate::diag::plural(rebuilt.checked.len(), "warning"),
            kinds.join(", ").to_lowercase()
        ));
    }
    println!("{line}");
}

fn describe(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| crate::diag::display_path(p))
        .collect();
    let mut what = shown.join(", ");
    if paths.len() > 3 {
        what.push_str(&format!(" and {} more", paths.len() - 3));
    }
    what
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        println!("open {url} in your browser");
    }
}

const LIVE_SCRIPT: &str = r#"(() => {
  // casebook serve: reload this tab when its page is rebuilt, where the reader was.
  const me = document.currentScript;
  // The switch to the other edition keeps the place on the page.
  for (const link of document.querySelectorAll("a[data-casebook-switch]")) {
    link.addEventListener("click", () => { link.hash = location.hash; });
  }
  // check's note, closed until what it says changes.
  const note = document.getElementById("casebook-check");
  if (note) {
    const closed = "casebook-check-closed";
    if (sessionStorage.getItem(closed) === note.dataset.key) note.remove();
    const button = note.querySelector("[data-casebook-close]");
    if (button) button.addEventListener("click", () => {
      sessionStorage.setItem(closed, note.dataset.key);
      note.remove();
    });
  }
  let version = Number(new URL(me.src).searchParams.get("v"));
  const path = decodeURIComponent(location.pathname.replace(/^\//, "").replace(/(^|\/)$/, "$1index.html"));
  const key = "casebook-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const back = () => window.scrollTo(0, Number(saved));
    back();
    addEventListener("load", back);
  }
  (async () => {
    for (;;) {
      try {
        const response = await fetch("/__casebook/wait?since=" + version, { cache: "no-store" });
        const change = await response.json();
        if (change.version <= version) continue;
        const mine = change.pages === "all" || change.version > version + 1 || (Array.isArray(change.pages) && change.pages.includes(path));
        version = change.version;
        if (mine) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
          return;
        }
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
})();
"#;

async fn live_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_SCRIPT,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct Since {
    since: u64,
}

/// Answers when the site's version is past `since`, or after 25 seconds.
async fn wait(State(shared): State<Shared>, Query(q): Query<Since>) -> Response {
    let mut changes = shared.changes.clone();
    let _ = tokio::time::timeout(
        Duration::from_secs(25),
        changes.wait_for(|c| c.version > q.since),
    )
    .await;
    let change = changes.borrow().clone();
    let pages = match &*change.pages {
        Pages::All => serde_json::json!("all"),
        Pages::Some(paths) => serde_json::json!(paths),
        Pages::None => serde_json::json!([]),
    };
    let body = serde_json::json!({"version": change.version, "pages": pages}).to_string();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn file(State(shared): State<Shared>, uri: Uri) -> Response {
    let mut snapshot = shared.snapshot.read().expect("snapshot lock").clone();
    let raw = uri.path().trim_start_matches('/');
    let Some(first) = snapshot.editions.first() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "starting").into_response();
    };
    // Which edition: the other one below its prefix (an ASCII prefix, the same encoded).
    let other_prefix = prefix(other(first.edition));
    let (side, raw_rest) = match raw.strip_prefix(&other_prefix) {
        Some(rest) => (1, rest),
        None if raw == other_prefix.trim_end_matches('/') => {
            let to = format!("/{other_prefix}");
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
        }
        None => (0, raw),
    };
    let prefix_here = if side == 0 { "" } else { other_prefix.as_str() };
    if side == 1 && snapshot.editions.len() < 2 {
        // Rendered from the first request for it on; that request waits for it.
        let _ = shared.jobs.send(Job::ShowOther);
        let mut changes = shared.changes.clone();
        let published = shared.snapshot.clone();
        let ready = move |_: &Change| {
            let now = published.read().expect("snapshot lock");
            now.editions.len() > 1 || now.error.is_some()
        };
        let _ = tokio::time::timeout(Duration::from_secs(120), changes.wait_for(ready)).await;
        snapshot = shared.snapshot.read().expect("snapshot lock").clone();
        if snapshot.editions.len() < 2 {
            // The site has errors: the overlay says which, and the page reloads once fixed.
            let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>casebook</title></head><body></body></html>";
            let body = page(&snapshot, side, raw_rest, html);
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                body,
            )
                .into_response();
        }
    }
    let files = &snapshot.editions[side].files;
    let path = percent_encoding::percent_decode_str(raw_rest)
        .decode_utf8_lossy()
        .into_owned();
    if path == "sw.js" {
        // No offline caching while previewing: a worker left by an earlier visit goes away.
        let stub = "self.addEventListener('install', () => self.skipWaiting());\nself.addEventListener('activate', () => self.registration.unregister());\n";
        return (
            [
                (header::CONTENT_TYPE, "text/javascript"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            stub,
        )
            .into_response();
    }
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(found) = files.get(&key) {
        return respond(&snapshot, side, raw_rest, &key, found, StatusCode::OK).await;
    }
    if files.contains_key(&format!("{path}/index.html")) {
        let to = format!("/{prefix_here}{raw_rest}/");
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    match files.get("404.html") {
        Some(page) => {
            respond(&snapshot, side, raw_rest, "404.html", page, StatusCode::NOT_FOUND).await
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn respond(
    snapshot: &Snapshot,
    side: usize,
    at: &str,
    path: &str,
    file: &Served,
    status: StatusCode,
) -> Response {
    let kind = content_type(path);
    let bytes: Vec<u8> = match file {
        Served::Made { bytes, html: true } => {
            page(snapshot, side, at, &String::from_utf8_lossy(bytes)).into_bytes()
        }
        Served::Made { bytes, .. } => bytes.to_vec(),
        Served::Content(from) => match tokio::fs::read(from).await {
            Ok(bytes) => bytes,
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, kind)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(bytes))
        .expect("a valid response")
}

/// A page of the edition `side` as served while previewing at `at` (its path below the
/// edition's root, as asked for): PDF sizes filled in, the switch to the other edition, the
/// error overlay when the site has errors, `check`'s note, and the reload script.
fn page(snapshot: &Snapshot, side: usize, at: &str, html: &str) -> String {
    let pdf_sizes = snapshot.editions.get(side).map(|e| &e.pdf_sizes);
    let sizes = |name: &str| {
        let size = pdf_sizes
            .and_then(|s| s.get(&format!("pdf/{name}")))
            .copied()
            .unwrap_or(0);
        if size == 0 {
            "…".to_string()
        } else {
            format!("{} KB", size.div_ceil(1024))
        }
    };
    let html =
        render::fill_text(html, render::SIZE_MARK, &sizes).unwrap_or_else(|| html.to_string());
    let html = render::fill_text(&html, PART_MARK, &|_: &str| "…".to_string()).unwrap_or(html);
    let mut extra = String::from("<style>.offline-save{display:none!important}</style>");
    extra.push_str(&switch(snapshot, side, at, &html));
    if let Some(error) = &snapshot.error {
        extra.push_str(&overlay(error));
    } else if !snapshot.notes.is_empty() {
        extra.push_str(&note(&snapshot.notes));
    }
    extra.push_str(&format!(
        "<script src=\"/__casebook/live.js?v={}\"></script>",
        snapshot.version
    ));
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

/// "View as trainer" on a page of the mentee edition, "View as mentee" on one of the
/// trainer edition: a link to the same path (so the same page, in the same language) in
/// the other edition.
fn switch(snapshot: &Snapshot, side: usize, at: &str, html: &str) -> String {
    let Some(first) = snapshot.editions.first() else {
        return String::new();
    };
    let here = if side == 0 {
        first.edition
    } else {
        other(first.edition)
    };
    let there = other(here);
    let href = if side == 0 {
        format!("/{}{at}", prefix(there))
    } else {
        format!("/{at}")
    };
    // The page's language, from `<html lang="…">`.
    let lang = html
        .split_once("<html lang=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(lang, _)| lang);
    let words = snapshot
        .switch
        .get(lang)
        .or_else(|| snapshot.switch.get("en"))
        .or_else(|| snapshot.switch.values().next());
    let Some(words) = words else {
        return String::new();
    };
    let label = match there {
        Edition::Trainer => &words.to_trainer,
        Edition::Mentee => &words.to_mentee,
    };
    let style = "position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;margin:0;font:700 15px/1.3 system-ui,sans-serif";
    let inner = format!(
        "<a href=\"{}\" data-casebook-switch style=\"display:inline-block;box-sizing:border-box;min-height:44px;padding:.7rem 1rem;border-radius:4px;background:#1d1d1b;color:#fff;text-decoration:underline;box-shadow:0 2px 6px rgba(0,0,0,.35)\">{}</a>",
        render::escape(&href),
        render::escape(label)
    );
    format!("<aside id=\"casebook-switch\" aria-label=\"casebook preview\" style=\"{style}\">{inner}</aside>")
}

/// What `check` says of the files edited: a note over the bottom of the page, closed with
/// its button until what it says changes.
fn note(notes: &[String]) -> String {
    let text = notes.join("\n\n");
    format!(
        "<div id=\"casebook-check\" role=\"status\" data-key=\"{}\" style=\"position:fixed;left:.5rem;right:.5rem;bottom:4rem;z-index:2147483646;max-height:45vh;overflow:auto;box-sizing:border-box;background:#fff8e6;color:#1d1d1b;border:3px solid #8a4b00;border-radius:4px;padding:.75rem 1rem;font:15px/1.45 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)\"><p style=\"margin:0 0 .5rem;font-weight:700\">casebook check: {} in the files you edited</p><pre style=\"white-space:pre-wrap;margin:0 0 .5rem;font:14px/1.4 ui-monospace,monospace\">{}</pre><p style=\"margin:0\">The page is shown as it will be published; fix the file and save to clear this note. <button type=\"button\" data-casebook-close style=\"min-height:44px;padding:.5rem 1rem;font:700 15px system-ui,sans-serif\">Close</button></p></div>",
        crate::parse::fingerprint(&text),
        crate::diag::plural(notes.len(), "warning"),
        render::escape(&text)
    )
}

fn overlay(error: &str) -> String {
    let count = error.matches("error: ").count().max(1);
    format!(
        "<div id=\"casebook-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#2b0a0a;color:#fff;padding:1rem;font:15px/1.45 ui-monospace,monospace\"><p style=\"font:700 1.2rem/1.3 system-ui,sans-serif;margin:0 0 .75rem\">casebook cannot rebuild the site: {}</p><pre style=\"white-space:pre-wrap;margin:0 0 1rem\">{}</pre><p style=\"font:1rem system-ui,sans-serif\">Fix the file and save it: this page reloads by itself. Until then, the site stays as it was last built.</p></div>",
        crate::diag::plural(count, "error"),
        render::escape(error)
    )
}

fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_addressed_to_the_server_are_answered() {
        let loopback = IpAddr::from([127, 0, 0, 1]);
        for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "127.0.0.2:8000"] {
            assert!(addressed_to(host, loopback, 8000), "{host}");
        }
        for host in ["evil.example:8000", "127.0.0.1:9000", "127.0.0.1", "localhost", "192.168.1.5:8000", "localhost.evil.example:8000", ""] {
            assert!(!addressed_to(host, loopback, 8000), "{host}");
        }
        let v6 = IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(addressed_to("[::1]:8000", v6, 8000));
        let any = IpAddr::from([0, 0, 0, 0]);
        assert!(addressed_to("192.168.1.5:8000", any, 8000));
        assert!(!addressed_to("casebook.example:8000", any, 8000));
        assert!(addressed_to("localhost", loopback, 80));
    }
}
