//! How `casebook build` scales: a synthetic curriculum of 1,000 and 10,000 pages (workshops,
//! lessons, fact patterns, two languages, links, tables, callouts, `:::` blocks, about 600
//! words a page) is built with the real binary (HTML, search index, minification; no PDFs),
//! and the benchmark prints wall time, pages per second and peak memory, and the cost ratio
//! between the two sizes. Run with `cargo bench --bench build_scale`; set
//! `CASEBOOK_BENCH_SIZES=1000,10000` to choose the sizes.
//!
//! When `zola` is on PATH, the same run should time it on the same corpus for the ratio the
//! performance issue asks for; it is not on this machine, so that part is not written yet.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "corpus/mod.rs"]
mod corpus;

/// Wall seconds and peak memory (KiB, from `/usr/bin/time` when there is one) of one build.
fn build(root: &Path, out: &Path) -> (f64, Option<u64>) {
    let casebook = env!("CARGO_BIN_EXE_casebook");
    let timed = Path::new("/usr/bin/time").exists();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M", casebook]);
        c
    } else {
        Command::new(casebook)
    };
    cmd.args(["build", "--no-pdf", "--force", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out);
    let started = Instant::now();
    let result = cmd.output().expect("casebook runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    let peak = if timed {
        stderr.lines().last().and_then(|l| l.trim().parse().ok())
    } else {
        None
    };
    (seconds, peak)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CASEBOOK_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 10000]);
    // `CASEBOOK_BENCH_CORPUS=DIR`: only write the corpus of the first size there, to build
    // or profile by hand.
    if let Some(dir) = std::env::var_os("CASEBOOK_BENCH_CORPUS") {
        corpus::write(Path::new(&dir), sizes[0]);
        println!(
            "wrote a {}-page corpus into {}",
            sizes[0],
            Path::new(&dir).display()
        );
        return;
    }
    let mut per_page = Vec::new();
    for size in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        corpus::write(&root, size);
        let out = dir.path().join("out");
        let runs = if size >= 5000 { 3 } else { 5 };
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            let (seconds, kib) = build(&root, &out);
            times.push(seconds);
            peak = peak.max(kib.unwrap_or(0));
        }
        let pages = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count();
        let wall = median(times);
        per_page.push((size, wall));
        println!(
            "{size} requested: {pages} HTML pages built in {wall:.2} s (median of {runs}), {:.0} pages/s, peak memory {}",
            pages as f64 / wall,
            if peak > 0 {
                format!("{:.0} MiB", peak as f64 / 1024.0)
            } else {
                "unknown (no /usr/bin/time)".into()
            }
        );
    }
    if let [(small, a), .., (large, b)] = per_page.as_slice() {
        println!(
            "cost ratio {large}/{small} pages: {:.1} (linear would be {:.1})",
            b / a,
            *large as f64 / *small as f64
        );
    }
    if which("zola") {
        println!("zola is on PATH, but the comparison is not written yet");
    } else {
        println!("zola is not on PATH: no comparison in this run");
    }
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
}
