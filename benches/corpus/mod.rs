//! A synthetic curriculum for benchmarks: workshops of lessons, fact patterns, a toolkit,
//! two languages, with the tables, callouts, `:::` blocks and links real pages have, about
//! 600 words a page.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &[&str] = &[
    "the",
    "helper",
    "employer",
    "agency",
    "contract",
    "wages",
    "rest",
    "day",
    "union",
    "leader",
    "labour",
    "tribunal",
    "claim",
    "notice",
    "holiday",
    "receipt",
    "record",
    "safety",
    "shelter",
    "consulate",
    "passport",
    "loan",
    "interest",
    "evidence",
    "statement",
    "conciliation",
    "rights",
    "ordinance",
    "section",
    "payment",
    "dismissal",
    "timeline",
    "interview",
    "question",
    "answer",
];

fn words(seed: usize, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[(seed * 7 + i * 13 + i / 5) % WORDS.len()]);
    }
    out
}

fn body(seed: usize, link: &str) -> String {
    let mut s = String::new();
    for section in 0..4 {
        let _ = writeln!(s, "## Part {section}\n");
        let _ = writeln!(s, "{}.\n", words(seed + section, 90));
        let _ = writeln!(
            s,
            "- {}\n- {}\n- {}\n",
            words(seed, 6),
            words(seed + 1, 7),
            words(seed + 2, 5)
        );
    }
    let _ = writeln!(
        s,
        "| Item | Amount | Source |\n|---|---|---|\n| Wages | HK$5,000 | Cap. 57 s. 23 |\n| Fee | HK$500 | Cap. 57A |\n"
    );
    let _ = writeln!(s, "> [!NOTE]\n> {}.\n", words(seed + 9, 20));
    let _ = writeln!(s, "See [the related page]({link}).\n");
    let _ = writeln!(s, "::: trainer\n{}.\n:::\n", words(seed + 3, 30));
    s
}

/// Writes a site of about `pages` HTML pages (entries × 2 languages) into `root`.
pub fn write(root: &Path, pages: usize) {
    let entries = pages / 2;
    let lessons_per = 8;
    let workshops = (entries / (lessons_per + 2)).max(1);
    fs::create_dir_all(root.join("curriculum/toolkit")).unwrap();
    fs::create_dir_all(root.join("fact-patterns")).unwrap();
    fs::write(
        root.join("casebook.yaml"),
        "title: Benchmark Curriculum\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  en: { name: English }\n  id: { name: Bahasa Indonesia }\n",
    )
    .unwrap();
    fs::write(
        root.join("curriculum/_index.md"),
        format!("---\ntitle: Programme\n---\n\n{}\n", words(1, 80)),
    )
    .unwrap();
    fs::write(
        root.join("curriculum/toolkit/_index.md"),
        "---\ntitle: Toolkit\n---\n\nTools.\n",
    )
    .unwrap();
    for w in 0..workshops {
        let folder = format!("{:03}-workshop", w + 1);
        let dir = root.join("curriculum").join(&folder);
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("_index.md"),
            format!(
                "---\ntitle: Workshop {w}\nsession: {}\nduration: 3h\nobjectives:\n  - {}\n---\n\n{}\n",
                w + 1,
                words(w, 8),
                words(w, 120)
            ),
        )
        .unwrap();
        for l in 0..lessons_per {
            let next = if l + 1 < lessons_per {
                format!("{:02}-lesson.md", l + 2)
            } else {
                format!("{:02}-lesson.md", 1)
            };
            let text = format!(
                "---\ntitle: Lesson {w}.{l}\nduration: 30m\n---\n\n{}",
                body(w * 31 + l, &next)
            );
            fs::write(dir.join(format!("{:02}-lesson.md", l + 1)), &text).unwrap();
            if l == 0 {
                fs::write(
                    dir.join(format!("{:02}-lesson.id.md", l + 1)),
                    text.replace("title: Lesson", "title: Pelajaran"),
                )
                .unwrap();
            }
        }
        fs::write(
            root.join("fact-patterns").join(format!("case-{w:03}.md")),
            format!(
                "---\ntitle: Case {w}\nlevel: foundation\ntopics: [wages]\nworkshop: {folder}\n---\n\n## Facts\n\n{}.\n\n## Questions\n\n1. {}?\n\n::: answer\n{}.\n:::\n",
                words(w, 200),
                words(w + 1, 10),
                words(w + 2, 80)
            ),
        )
        .unwrap();
    }
}
