//! The report, for people (text, grouped by kind) and for CI (JSON, `"format": 1`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::{Severity, display_path};

use super::{Coverage, Finding, Kind, Report};

/// Two findings that say the same thing of different places or names.
fn alike(a: &crate::diag::Diagnostic, b: &crate::diag::Diagnostic) -> bool {
    // The message without what stands between backticks.
    fn shape(message: &str) -> String {
        message
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { "`…`" } else { part })
            .collect()
    }
    a.severity == b.severity && a.hint == b.hint && shape(&a.message) == shape(&b.message)
}

/// The report as text: grouped by kind, each finding with file:line and its hint, then the
/// translation coverage and a summary.
pub fn text(report: &Report, root: &Path, color: bool) -> String {
    let mut out = String::new();
    for kind in Kind::ALL {
        let found: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == kind).collect();
        if found.is_empty() {
            continue;
        }
        out.push_str(&format!("== {} ({})\n\n", kind.title(), found.len()));
        // Findings alike (the same words but for names in backticks, the same help) are
        // one block: the first in full, the others one line each.
        let mut groups: Vec<Vec<&Finding>> = Vec::new();
        for f in found {
            match groups.iter_mut().find(|g| alike(&g[0].diagnostic, &f.diagnostic)) {
                Some(group) => group.push(f),
                None => groups.push(vec![f]),
            }
        }
        for group in groups {
            out.push_str(&group[0].diagnostic.render(root, color));
            if group.len() > 1 {
                out.push_str(&format!("  = the same for {} more:\n", group.len() - 1));
                for f in &group[1..] {
                    let d = &f.diagnostic;
                    let place = d.location().unwrap_or_default();
                    out.push_str(&format!("    {place}: {}\n", d.message));
                }
            }
            out.push('\n');
        }
    }
    if !report.external.is_empty() {
        let how = if report.external_checked {
            "checked: problems are listed under Links"
        } else {
            "not checked (add `--external`): open them to see that they still work"
        };
        out.push_str(&format!(
            "== External links ({}), {how}\n\n",
            report.external.len()
        ));
        for e in &report.external {
            out.push_str(&format!(
                "{}  ({}:{})\n",
                e.url,
                display_path(&e.file),
                e.line
            ));
        }
        out.push('\n');
    }
    if !report.coverage.is_empty() {
        out.push_str("== Translation coverage\n\n");
        out.push_str(&format!(
            "{:<10} {:>6} {:>11} {:>8} {:>9} {:>6}\n",
            "language", "pages", "translated", "words", "percent", "stale"
        ));
        for c in &report.coverage {
            out.push_str(&format!(
                "{:<10} {:>6} {:>11} {:>8} {:>8}% {:>6}\n",
                c.language,
                c.pages,
                c.translated,
                c.words,
                percent(c),
                c.stale
            ));
        }
        for c in report.coverage.iter().filter(|c| !c.missing.is_empty()) {
            let shown: Vec<String> = c.missing.iter().take(5).map(|p| display_path(p)).collect();
            let more = c.missing.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            out.push_str(&format!(
                "not yet in {}: {}{tail}\n",
                c.language,
                shown.join(", ")
            ));
        }
        out.push('\n');
    }
    let by_kind: Vec<String> = Kind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                k.name(),
                report.findings.iter().filter(|f| f.kind == *k).count()
            )
        })
        .collect();
    out.push_str(&format!(
        "{}, {} ({})\n",
        crate::diag::plural(report.errors(), "error"),
        crate::diag::plural(report.warnings(), "warning"),
        by_kind.join(", ")
    ));
    out
}

fn percent(c: &Coverage) -> usize {
    (c.translated_words * 100)
        .checked_div(c.words)
        .unwrap_or(100)
}

/// The report as JSON, in the documented format (`"format": 1`). Keys are in alphabetical
/// order, as they have always been written.
pub fn json(report: &Report) -> String {
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            JsonFinding {
                column: (d.line > 0).then_some(d.col.max(1)),
                file: d.path.as_ref().map(|p| display_path(p)),
                hint: d.hint.as_deref(),
                kind: f.kind.name(),
                line: (d.line > 0).then_some(d.line),
                message: &d.message,
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
            }
        })
        .collect();
    let by_kind = Kind::ALL
        .iter()
        .map(|k| {
            let count = report.findings.iter().filter(|f| f.kind == *k).count();
            (k.name(), count)
        })
        .collect();
    let translations = report
        .coverage
        .iter()
        .map(|c| JsonCoverage {
            language: &c.language,
            missing: c.missing.iter().map(|p| display_path(p)).collect(),
            pages: c.pages,
            percent: percent(c),
            stale: c.stale,
            translated: c.translated,
            words: c.words,
        })
        .collect();
    let external_links = report
        .external
        .iter()
        .map(|e| JsonLink {
            file: display_path(&e.file),
            line: e.line,
            url: &e.url,
        })
        .collect();
    let json = JsonReport {
        external_links,
        findings,
        format: 1,
        summary: JsonSummary {
            by_kind,
            errors: report.errors(),
            warnings: report.warnings(),
        },
        translations,
    };
    serde_json::to_string_pretty(&json).expect("the report serializes")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    external_links: Vec<JsonLink<'a>>,
    findings: Vec<JsonFinding<'a>>,
    format: u32,
    summary: JsonSummary,
    translations: Vec<JsonCoverage<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    column: Option<usize>,
    file: Option<String>,
    hint: Option<&'a str>,
    kind: &'static str,
    line: Option<usize>,
    message: &'a str,
    severity: &'static str,
}

#[derive(Serialize)]
struct JsonSummary {
    by_kind: BTreeMap<&'static str, usize>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    language: &'a str,
    missing: Vec<String>,
    pages: usize,
    percent: usize,
    stale: usize,
    translated: usize,
    words: usize,
}

#[derive(Serialize)]
struct JsonLink<'a> {
    file: String,
    line: usize,
    url: &'a str,
}
