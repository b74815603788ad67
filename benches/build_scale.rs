//! How `casebook build` scales: a synthetic curriculum of 1,000 and 10,000 pages (workshops,
//! lessons, fact patterns, two languages, links, tables, callouts, `:::` blocks, about 600
//! words a page) is built with the real binary (HTML, search index, minification; no PDFs),
//! and the benchmark prints wall time, pages per second and peak memory, and the cost ratio
//! between the two sizes. The PDFs are reported apart, from one build of the first size.
//! Run with `cargo bench --bench build_scale`; set `CASEBOOK_BENCH_SIZES=1000,10000` to
//! choose the sizes.
//!
//! When `zola` or `hugo` is on PATH, the same corpus is written in its layout too, and each
//! is timed in the same run, their builds taking turns with casebook's so that a busy
//! machine slows them alike: Zola with its search index (`build_search_index = true`) and
//! minified HTML, Hugo with `--minify` and a JSON search file of every page's text. The
//! ratios printed are casebook's median over theirs less their start-up time (`--version`).
//! Each tool writes the same pages: every page in both languages, an untranslated one in
//! its English words, as casebook publishes it. The second language is French, which
//! Zola's search index knows, so that Zola indexes both languages as casebook does;
//! `CASEBOOK_BENCH_LANGUAGE=id` writes Indonesian instead, and Zola then indexes only the
//! English pages. The builds run in memory (`/dev/shm`) where
//! there is one: see [`scratch`].

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "corpus/mod.rs"]
mod corpus;

/// One timed build: wall seconds, and peak memory in KiB when `/usr/bin/time` is there.
struct Run {
    seconds: f64,
    peak_kib: Option<u64>,
}

/// Runs `program args`, under `/usr/bin/time` when there is one for the peak memory.
fn timed(program: &str, args: &[&std::ffi::OsStr]) -> Result<Run, String> {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M", program]);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args);
    let started = Instant::now();
    let result = cmd
        .output()
        .map_err(|e| format!("{program} did not start: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&result.stderr);
    if !result.status.success() {
        return Err(format!("{program} failed:\n{stderr}"));
    }
    let peak_kib = if gnu_time {
        stderr.lines().last().and_then(|l| l.trim().parse().ok())
    } else {
        None
    };
    Ok(Run { seconds, peak_kib })
}

/// A site generator timed on the corpus.
struct Tool {
    name: &'static str,
    /// What it builds from (its own layout of the corpus) and into.
    source: PathBuf,
    out: PathBuf,
    runs: Vec<Run>,
    failed: Option<String>,
    /// Seconds it takes to start (`--version`, median of five): Zola from npm is a Node
    /// binding, and Node's start-up is no part of building a site.
    startup: f64,
}

impl Tool {
    fn run(&mut self) {
        if self.failed.is_some() {
            return;
        }
        // Every tool builds into an empty folder: removing the previous site is no part of
        // the time (casebook would remove it after writing the new one).
        let _ = fs::remove_dir_all(&self.out);
        let (source, out) = (self.source.as_os_str(), self.out.as_os_str());
        let result = match self.name {
            "casebook" => timed(
                env!("CARGO_BIN_EXE_casebook"),
                &[
                    "build".as_ref(),
                    "--no-pdf".as_ref(),
                    "--force".as_ref(),
                    "--root".as_ref(),
                    source,
                    "--out".as_ref(),
                    out,
                ],
            ),
            "zola" => timed(
                "zola",
                &[
                    "--root".as_ref(),
                    source,
                    "build".as_ref(),
                    "--output-dir".as_ref(),
                    out,
                    "--force".as_ref(),
                ],
            ),
            _ => timed(
                "hugo",
                &[
                    "--quiet".as_ref(),
                    "--minify".as_ref(),
                    "--source".as_ref(),
                    source,
                    "--destination".as_ref(),
                    out,
                ],
            ),
        };
        match result {
            Ok(run) => self.runs.push(run),
            Err(e) => self.failed = Some(e),
        }
    }

    fn measure_startup(&mut self) {
        let mut v: Vec<f64> = (0..5)
            .filter_map(|_| timed(self.name, &["--version".as_ref()]).ok())
            .map(|r| r.seconds)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        self.startup = v.get(v.len() / 2).copied().unwrap_or(0.0);
    }

    fn wall(&self) -> Option<f64> {
        let mut v: Vec<f64> = self.runs.iter().map(|r| r.seconds).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v.get(v.len() / 2).copied()
    }

    fn peak_mib(&self) -> Option<f64> {
        self.runs
            .iter()
            .filter_map(|r| r.peak_kib)
            .max()
            .map(|k| k as f64 / 1024.0)
    }

    fn html_pages(&self) -> usize {
        files_ending(&self.out, "html")
    }
}

/// How many files under `dir` have the extension `ext`.
fn files_ending(dir: &Path, ext: &str) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .count()
}

fn mib(v: Option<f64>) -> String {
    v.map_or_else(
        || "unknown (no /usr/bin/time)".into(),
        |m| format!("{m:.0} MiB"),
    )
}

fn main() {
    let second = corpus::Language::from_env().unwrap_or_else(|e| panic!("{e}"));
    let sizes: Vec<usize> = std::env::var("CASEBOOK_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 10000]);
    // `CASEBOOK_BENCH_CORPUS=DIR`: only write the corpus of the first size there (and its
    // Zola and Hugo layouts in DIR-zola and DIR-hugo), to build or profile by hand.
    if let Some(dir) = std::env::var_os("CASEBOOK_BENCH_CORPUS") {
        let dir = PathBuf::from(dir);
        corpus::write(&dir, sizes[0], second);
        corpus::write_zola(&dir, &sibling(&dir, "zola"), second);
        corpus::write_hugo(&dir, &sibling(&dir, "hugo"), second);
        println!(
            "wrote a {}-page corpus into {} (and its Zola and Hugo layouts beside it)",
            sizes[0],
            dir.display()
        );
        return;
    }
    let others: Vec<&str> = ["zola", "hugo"]
        .into_iter()
        .filter(|t| on_path(t))
        .collect();
    for name in ["zola", "hugo"] {
        if !others.contains(&name) {
            println!("{name} is not on PATH: no comparison with it in this run");
        }
    }
    let mut per_page = Vec::new();
    println!(
        "building in {}, in English and {}{}",
        scratch().display(),
        second.name,
        if second.zola_indexes {
            ""
        } else {
            " (Zola indexes only the English pages)"
        }
    );
    for size in sizes {
        let dir = tempfile::tempdir_in(scratch()).expect("temp dir");
        let root = dir.path().join("site");
        corpus::write(&root, size, second);
        let mut tools = vec![Tool {
            name: "casebook",
            source: root.clone(),
            out: dir.path().join("out"),
            runs: Vec::new(),
            failed: None,
            startup: 0.0,
        }];
        for &name in &others {
            let source = dir.path().join(name);
            match name {
                "zola" => corpus::write_zola(&root, &source, second),
                _ => corpus::write_hugo(&root, &source, second),
            }
            let mut tool = Tool {
                name,
                source,
                out: dir.path().join(format!("out-{name}")),
                runs: Vec::new(),
                failed: None,
                startup: 0.0,
            };
            tool.measure_startup();
            tools.push(tool);
        }
        let runs = if size >= 5000 { 3 } else { 5 };
        for _ in 0..runs {
            for tool in &mut tools {
                tool.run();
            }
        }
        let casebook = &tools[0];
        if let Some(e) = &casebook.failed {
            panic!("{e}");
        }
        let wall = casebook.wall().expect("casebook ran");
        let pages = casebook.html_pages();
        per_page.push((size, wall));
        println!(
            "{size} requested: casebook built {pages} HTML pages in {wall:.2} s (median of {runs}), {:.0} pages/s, peak memory {}",
            pages as f64 / wall,
            mib(casebook.peak_mib())
        );
        if per_page.len() == 1 {
            pdf_cost(&root, &dir.path().join("out-pdf"), wall);
        }
        for tool in &tools[1..] {
            match (&tool.failed, tool.wall()) {
                (Some(e), _) => println!("  {}: failed, no comparison\n{e}", tool.name),
                (None, Some(theirs)) => println!(
                    "  {}: {} HTML pages in {theirs:.2} s ({:.2} s of it starting up), peak memory {}; casebook's time is {:.2}× theirs less start-up, its peak memory {}",
                    tool.name,
                    tool.html_pages(),
                    tool.startup,
                    mib(tool.peak_mib()),
                    wall / (theirs - tool.startup),
                    match (casebook.peak_mib(), tool.peak_mib()) {
                        (Some(a), Some(b)) => format!("{:.2}× theirs", a / b),
                        _ => "unknown".into(),
                    }
                ),
                (None, None) => {}
            }
        }
    }
    if let [(small, a), .., (large, b)] = per_page.as_slice() {
        println!(
            "cost ratio {large}/{small} pages: {:.1} (linear would be {:.1})",
            b / a,
            *large as f64 / *small as f64
        );
    }
}

/// PDFs, reported apart (at the first size only: they cost far more than the HTML): one
/// build with them, against the median `without` of the builds without.
fn pdf_cost(root: &Path, out: &Path, without: f64) {
    let run = timed(
        env!("CARGO_BIN_EXE_casebook"),
        &[
            "build".as_ref(),
            "--force".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
    match run {
        Ok(run) => {
            let pdfs = files_ending(out, "pdf");
            println!(
                "  with PDFs (one build): {pdfs} PDF files, {:.2} s ({:.2} s more than without), peak memory {}",
                run.seconds,
                run.seconds - without,
                mib(run.peak_kib.map(|k| k as f64 / 1024.0))
            );
        }
        Err(e) => println!("  with PDFs: the build failed\n{e}"),
    }
}

/// Where the corpora are written and built: `CASEBOOK_BENCH_TMP`, else `/dev/shm` (memory)
/// where there is one, else the system's temporary folder. On this machine's disk, a
/// folder removed and written again run after run makes ext4 look through its recently
/// deleted inodes for every new file (`recently_deleted` in `perf`): the kernel's time for
/// the same build grew from 4 s to 8 s over a few runs, more than all the rest, and more
/// for whoever writes more files. In memory every tool is timed for its own work.
fn scratch() -> PathBuf {
    std::env::var_os("CASEBOOK_BENCH_TMP")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|d| d.is_dir()))
        .unwrap_or_else(std::env::temp_dir)
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!("{}-{suffix}", name.unwrap_or_default()))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
}
