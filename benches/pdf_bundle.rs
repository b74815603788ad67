//! `cargo bench --bench pdf_bundle`: how long typesetting a 100-page PDF bundle takes
//! (goal: at most 2 s on a 2-core machine), beside the HTML build of the same pages measured
//! in the same run, on a generated workshop of realistic lessons.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

const PARAGRAPH: &str = "When a worker calls, listen first and write down what she says in her own words. \
Ask when the problem started, who else knows, and whether she is safe tonight. Do not promise an outcome: \
explain the next step, how long it usually takes, and what she can do while she waits. ";

fn lesson(n: usize) -> String {
    let mut text = format!(
        "---\ntitle: \"Lesson {n}: a case step by step\"\nduration: 45m\nreviewed: 2026-11-01\n---\n\n"
    );
    for section in 1..=4 {
        let _ = writeln!(text, "## Part {section}\n");
        for _ in 0..2 {
            let _ = writeln!(text, "{}\n", PARAGRAPH.repeat(2));
        }
        text.push_str("| Date | What happened | Evidence |\n| --- | --- | --- |\n| 1 March | Wages unpaid | Bank record |\n| 8 March | Rest day refused | Messages |\n\n");
        text.push_str("- [ ] Ask for consent\n- [ ] Write down the dates\n- [ ] Agree the next step\n\n> [!TIP]\n> Read the notes back to her before she leaves.\n\n");
    }
    text.push_str("::: answer\nA model answer with **emphasis** and a [link](https://www.labour.gov.hk/).\n:::\n");
    text
}

fn write_site(root: &Path, lessons: usize) {
    let w = root.join("curriculum/01-bench");
    std::fs::create_dir_all(&w).expect("mkdir");
    std::fs::write(
        root.join("casebook.yaml"),
        "title: Benchmark\nbase_url: https://example.org/\n",
    )
    .expect("write");
    std::fs::write(
        root.join("curriculum/_index.md"),
        "---\ntitle: Programme\n---\n\nHello.\n",
    )
    .expect("write");
    std::fs::write(
        w.join("_index.md"),
        "---\ntitle: A long workshop\nsession: 1\nduration: 4h\n---\n\nIntro.\n",
    )
    .expect("write");
    for n in 1..=lessons {
        std::fs::write(w.join(format!("{n:03}-lesson.md")), lesson(n)).expect("write");
    }
}

fn pages(pdf: &[u8]) -> usize {
    pdf.windows(11)
        .filter(|w| w == b"/Type/Page/" || w == b"/Type/Page>")
        .count()
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    write_site(&root, 34);
    let mut diagnostics = Vec::new();
    let loaded = casebook::load(&root, false, &mut diagnostics).expect("the generated site loads");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let plans: Vec<_> =
        casebook::render::pdf::plan(&loaded.site, &loaded.strings, casebook::Edition::Mentee)
            .into_iter()
            .filter(|p| matches!(p.what, casebook::render::pdf::What::Handout(_)))
            .collect();
    let preamble = loaded
        .theme
        .pdf
        .iter()
        .find(|f| f.name == "casebook.typ")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .expect("preamble");
    // Load the fonts once, as a build does, outside the timing.
    let _ = casebook::typeset::shared_fonts(&root);

    let mut pdf_times = Vec::new();
    let mut page_count = 0;
    for _ in 0..5 {
        // typst memoizes across compilations in one process: start each run cold, as a build does.
        casebook::typeset::forget_cache();
        let started = Instant::now();
        let (made, problems) = casebook::render::pdf::make(
            &root,
            &loaded.site,
            plans.clone(),
            &loaded.strings,
            &preamble,
            None,
        );
        pdf_times.push(started.elapsed().as_secs_f64());
        assert!(problems.is_empty(), "{problems:?}");
        page_count = pages(&made[0].bytes);
    }
    let mut html_times = Vec::new();
    for _ in 0..5 {
        let out = dir.path().join("out");
        let opts = casebook::BuildOptions {
            root: root.clone(),
            out,
            edition: casebook::Edition::Mentee,
            drafts: false,
            force: true,
            minify: true,
            pdf: false,
        };
        let started = Instant::now();
        casebook::build(&opts).expect("builds");
        html_times.push(started.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (pdf, html) = (median(&mut pdf_times), median(&mut html_times));
    println!(
        "pdf bundle: {page_count} pages typeset in {pdf:.3} s (median of 5; goal <= 2 s): {}",
        if pdf <= 2.0 { "ok" } else { "OVER GOAL" }
    );
    println!(
        "html build of the same {} lessons (no PDF): {html:.3} s; PDF/HTML ratio {:.1}",
        34,
        pdf / html
    );
}
