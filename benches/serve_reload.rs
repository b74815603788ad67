//! `casebook serve` on a generated 1,000-page site: how long a full build in memory takes,
//! how long the rebuild after a one-lesson edit takes (the ratio between them), and the
//! edit-to-reload latency a trainer sees: from the file being saved to the browser being
//! told to reload (goal: 100 ms), with the mentee edition alone and once the trainer
//! edition is shown too. Run with `cargo bench --bench serve_reload`.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use casebook::Edition;
use casebook::preview::Preview;

#[allow(dead_code)] // the Zola and Hugo layouts are for build_scale
#[path = "corpus/mod.rs"]
mod corpus;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

#[path = "../tests/suite/http.rs"]
mod http;

/// The body of a GET to the serve at `host`.
fn get(host: &str, path: &str) -> String {
    http::get(host, path).1
}

fn version(body: &str) -> u64 {
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
    json["version"].as_u64().expect("version")
}

fn main() {
    let pages = std::env::var("CASEBOOK_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    corpus::write(&root, pages, &corpus::INDONESIAN);
    let lesson = root.join("curriculum/001-workshop/03-lesson.md");
    let rel = Path::new("curriculum/001-workshop/03-lesson.md");
    let edit = |n: usize| {
        let text = std::fs::read_to_string(&lesson).unwrap();
        std::fs::write(&lesson, format!("{text}\nEdit number {n}.\n")).unwrap();
    };

    // In memory: a full build, then single-lesson rebuilds.
    let mut full = Vec::new();
    let mut rendered = 0;
    let mut preview = Preview::new(&root, Edition::Mentee, false, false);
    for _ in 0..3 {
        preview = Preview::new(&root, Edition::Mentee, false, false);
        let r = preview.rebuild(&[]);
        assert_eq!(r.errors, 0, "{:?}", preview.error());
        rendered = r.rendered;
        full.push(r.elapsed.as_secs_f64() * 1000.0);
    }
    let mut single = Vec::new();
    let mut single_pages = 0;
    for n in 0..10 {
        edit(n);
        let r = preview.rebuild(&[rel.to_path_buf()]);
        single_pages = r.rendered;
        single.push(r.elapsed.as_secs_f64() * 1000.0);
    }
    let started = Instant::now();
    preview.finish();
    let search = started.elapsed().as_secs_f64() * 1000.0;
    let (full_ms, single_ms) = (median(full), median(single));
    println!("site: {rendered} pages rendered in a full build");
    println!("full build in memory (HTML, no PDFs): median {full_ms:.1} ms");
    println!(
        "one lesson edited: {single_pages} pages rebuilt, median {single_ms:.1} ms ({:.1}% of a full build)",
        100.0 * single_ms / full_ms
    );
    println!("search index over every page, after the reload: {search:.0} ms");

    // End to end: the saved file to the answer that tells the browser to reload.
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--no-pdf", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    // Keep reading what it prints so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let first = String::from_utf8_lossy(&first).into_owned();
    let host = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .expect("address")
        .trim_end_matches('/')
        .to_string();
    let measure = |first: usize, pause: Duration| {
        let mut latencies = Vec::new();
        for n in 0..20 {
            let now = version(&get(&host, "/__casebook/wait?since=0"));
            let waiter = {
                let host = host.clone();
                std::thread::spawn(move || {
                    let body = get(&host, &format!("/__casebook/wait?since={now}"));
                    (Instant::now(), version(&body))
                })
            };
            std::thread::sleep(Duration::from_millis(100));
            let saved = Instant::now();
            edit(first + n);
            let (told, v) = waiter.join().unwrap();
            assert!(v > now, "the wait ended without a rebuild");
            latencies.push(told.duration_since(saved).as_secs_f64() * 1000.0);
            // Let the search index of this rebuild finish before the next edit.
            std::thread::sleep(pause);
        }
        latencies
    };
    let mentee = measure(100, Duration::from_millis(1200));
    // The trainer edition, once asked for, is rendered and indexed on every edit too.
    let started = Instant::now();
    let _ = get(&host, "/__casebook/trainer/");
    let first_visit = started.elapsed().as_secs_f64() * 1000.0;
    std::thread::sleep(Duration::from_millis(2500));
    let both = measure(200, Duration::from_millis(2500));
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "edit to reload (file saved → browser told), 20 edits: median {:.0} ms, 90th percentile {:.0} ms (goal 100 ms; includes the 30 ms debounce)",
        median(mentee.clone()),
        percentile(mentee, 0.9)
    );
    println!("the trainer edition's first page, rendered on that request: {first_visit:.0} ms");
    println!(
        "with the trainer edition shown too, 20 edits: median {:.0} ms, 90th percentile {:.0} ms",
        median(both.clone()),
        percentile(both, 0.9)
    );
}
