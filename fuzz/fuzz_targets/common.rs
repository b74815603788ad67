//! What each target does with its input, shared with `tests/reliability.rs`, which replays
//! the inputs that once crashed a target (`fuzz/regressions/TARGET/`). Every input is
//! decoded as casebook decodes a file read from disk, and every diagnostic is rendered the
//! way `casebook build` prints it (reading the offending line back from the file), so that
//! positions and excerpts are fuzzed too.
// Each target uses one of these functions.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casebook::Edition;
use casebook::diag::Diagnostic;
use casebook::discover::{Role, SourcePage};
use casebook::parse::{self, meta};

/// Front matter: split from the body, then read for every role a page can have.
pub fn front_matter(bytes: &[u8]) {
    run(bytes, "curriculum/01-a/01-b.md", |text, file| {
        let mut diagnostics = Vec::new();
        let split = match meta::split(text, file) {
            Ok(split) => split,
            Err(d) => return vec![d],
        };
        let roles = [
            Role::Programme,
            Role::WorkshopIndex {
                folder: "01-a".into(),
            },
            Role::Lesson {
                folder: "01-a".into(),
                name: "01-b".into(),
            },
            Role::ToolkitIndex,
            Role::Tool { name: "b".into() },
            Role::FactPattern { name: "b".into() },
        ];
        for role in &roles {
            for translation in [false, true] {
                let _ = meta::read(
                    split.yaml,
                    split.yaml_offset,
                    file,
                    role,
                    translation,
                    &mut diagnostics,
                );
            }
        }
        diagnostics
    });
}

/// The Markdown + `:::` block pipeline: the body parsed, the nodes each edition keeps, and
/// the whole page as a trainer writes it.
pub fn markdown(bytes: &[u8]) {
    run(bytes, "fact-patterns/b.md", |text, file| {
        let mut diagnostics = Vec::new();
        let doc = parse::markdown::parse(text, 3, file, &mut diagnostics);
        for edition in [Edition::Mentee, Edition::Trainer] {
            for answers in [meta::Answers::Reveal, meta::Answers::Trainer] {
                let _ = parse::visible(&doc, edition, answers);
            }
        }
        let page = SourcePage {
            path: file.to_path_buf(),
            role: Role::FactPattern { name: "b".into() },
            lang: None,
        };
        let _ = parse::parse_text(text, &page, &mut diagnostics);
        diagnostics
    });
}

/// The referral directory, `curriculum/toolkit/referrals.yaml`.
pub fn referrals(bytes: &[u8]) {
    run(bytes, "curriculum/toolkit/referrals.yaml", |text, file| {
        let mut diagnostics = Vec::new();
        for referral in parse::referrals::parse(text, file, &mut diagnostics) {
            for number in referral.phone.iter().chain(&referral.whatsapp) {
                let _ = parse::referrals::dial_string(number);
            }
        }
        diagnostics
    });
}

/// The site's settings, `casebook.yaml`.
pub fn config(bytes: &[u8]) {
    run(bytes, "casebook.yaml", |text, _| {
        let mut diagnostics = Vec::new();
        let _ = casebook::config::parse(text, &mut diagnostics);
        diagnostics
    });
}

/// A site folder of this process, where the input is written as the file at `rel`.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("casebook-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    })
}

/// Runs `parse` on `bytes` as the file `rel` of a site, then renders its diagnostics.
fn run(bytes: &[u8], rel: &str, parse: impl FnOnce(&str, &Path) -> Vec<Diagnostic>) {
    let rel = Path::new(rel);
    let diagnostics = match casebook::source::decode(bytes.to_vec(), rel) {
        Ok(text) => parse(&text, rel),
        Err(d) => vec![d],
    };
    if diagnostics.is_empty() {
        return;
    }
    let file = root().join(rel);
    std::fs::create_dir_all(file.parent().expect("a folder")).expect("a folder");
    std::fs::write(&file, bytes).expect("the input written");
    for d in &diagnostics {
        let text = d.render(root(), false);
        assert!(text.starts_with("error: ") || text.starts_with("warning: "));
    }
}
