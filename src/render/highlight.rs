//! Syntax highlighting at build time, behind one door: code text + language → HTML with
//! CSS classes (no JavaScript), and the stylesheet for those classes in light and dark mode.
//! syntect's assets are decoded once, lazily, only when a page has code.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASSES: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The code as highlighted HTML (the inside of `<code>`), or `None` when the language is
/// unknown (the caller then shows it plain).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASSES);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: a light theme, and a dark one for dark mode.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, CLASSES).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, CLASSES).ok())
        .unwrap_or_default();
    format!(
        "{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n@media print {{ .hl-code, pre.code {{ background: none !important; }} }}\n"
    )
}
