//! Syntax highlighting at build time, behind one door: code text + language → HTML with
//! CSS classes (no JavaScript), and the stylesheet for those classes in light and dark mode.
//! syntect's assets are decoded once, lazily, only when a page has code; the syntaxes bat
//! adds (TOML and others, from `two-face`) only when a language needs them.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASSES: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's own syntaxes, quick to decode.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// syntect's and bat's (TOML, TypeScript, Dockerfile, …): some ten times slower to decode,
/// so only when a page has code in a language of the second kind.
fn more_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The code as highlighted HTML (the inside of `<code>`), or `None` when the language is
/// unknown (the caller then shows it plain).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let (set, syntax) = match syntaxes().find_syntax_by_token(language) {
        Some(syntax) => (syntaxes(), syntax),
        None => {
            let set = more_syntaxes();
            (set, set.find_syntax_by_token(language)?)
        }
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASSES);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: a light theme, and a dark one for dark mode. Their
/// colours are adjusted where needed to keep the contrast WCAG AA asks for on their own
/// background (both themes have comment and keyword colours below it).
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASSES).ok())
            .map(|css| readable(&css))
            .unwrap_or_default()
    };
    let light = css("InspiredGitHub");
    let dark = css("base16-ocean.dark");
    // Each theme only in its own scheme: otherwise a light rule the dark theme has no
    // counterpart for (`.hl-storage.hl-type`) would win in dark mode.
    format!(
        "@media not all and (prefers-color-scheme: dark), print {{\n{light}\n}}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n@media print {{ .hl-code, pre.code {{ background: none !important; }} }}\n"
    )
}

/// `css` with every text colour made to contrast at least 4.5:1 with the theme's background
/// (the `background-color` of `.hl-code`): darkened on a light background, lightened on a
/// dark one.
fn readable(css: &str) -> String {
    let Some(background) = css
        .split("background-color:")
        .nth(1)
        .and_then(|rest| parse_hex(rest.trim_start()))
    else {
        return css.to_string();
    };
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("color:") {
        let is_background = rest[..at].ends_with("background-");
        out.push_str(&rest[..at + "color:".len()]);
        rest = &rest[at + "color:".len()..];
        let trimmed = rest.trim_start();
        if let Some(colour) = parse_hex(trimmed).filter(|_| !is_background) {
            out.push_str(&rest[..rest.len() - trimmed.len()]);
            let fixed = with_contrast(colour, background, 4.6);
            out.push_str(&format!(
                "#{:02x}{:02x}{:02x}",
                fixed[0], fixed[1], fixed[2]
            ));
            rest = &trimmed[7..];
        }
    }
    out.push_str(rest);
    out
}

fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?.get(..6)?;
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn luminance(c: [u8; 3]) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Moves `colour` towards black or white, whichever is away from `background`, in small
/// steps, until it reaches `ratio`.
fn with_contrast(colour: [u8; 3], background: [u8; 3], ratio: f64) -> [u8; 3] {
    let target: f64 = if luminance(background) > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut c = colour;
    for step in 1..=20 {
        if contrast(c, background) >= ratio {
            break;
        }
        let t = f64::from(step) / 20.0;
        c = colour.map(|v| (f64::from(v) + (target - f64::from(v)) * t).round() as u8);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_colours_keep_aa_contrast_in_both_themes() {
        let css = stylesheet();
        let (light, dark) = css
            .split_once("@media screen and (prefers-color-scheme: dark)")
            .expect("two themes");
        for (theme, background) in [(light, [0xff, 0xff, 0xff]), (dark, [0x2b, 0x30, 0x3b])] {
            let theme = theme.replace("background-color:", "background:");
            for part in theme.split("color:").skip(1) {
                if let Some(c) = parse_hex(part.trim_start()).filter(|c| *c != background) {
                    assert!(contrast(c, background) >= 4.5, "{c:?} on {background:?}");
                }
            }
        }
    }
}
