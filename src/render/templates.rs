//! The theme's templates (tera), behind one door: compiled once, then rendered with a
//! page's data. The only module that knows about tera.

use std::path::PathBuf;

use serde_json::Value;

use crate::diag::{Diagnostic, display_path};
use crate::theme::Theme;

/// The theme's templates, compiled.
#[derive(Clone)]
pub struct Templates(tera::Tera);

impl Templates {
    /// Compiles the theme's templates. Errors name the template file and line.
    pub fn compile(theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Option<Templates> {
        compile(theme, diagnostics).map(Templates)
    }

    /// Renders the template `name` with `data` (a JSON object); an error as text, with its
    /// causes.
    pub fn render(&self, name: &str, data: Value) -> Result<String, String> {
        let context = tera::Context::from_value(data).map_err(|e| error_chain(&e))?;
        self.0.render(name, &context).map_err(|e| error_chain(&e))
    }
}

fn compile(theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Option<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut ok = true;
    for file in &theme.templates {
        let shown = file
            .origin
            .clone()
            .unwrap_or_else(|| PathBuf::from("themes/default/templates").join(&file.name));
        let text = match std::str::from_utf8(&file.bytes) {
            Ok(t) => t,
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` is not valid UTF-8 text",
                        display_path(&shown)
                    ))
                    .in_file(shown),
                );
                ok = false;
                continue;
            }
        };
        if let Err(e) = tera.add_raw_template(&file.name, text) {
            let (line, col, message) = template_error(&e);
            diagnostics.push(
                Diagnostic::error(format!("template error: {message}"))
                    .at(shown, line, col)
                    .hint("fix the template syntax ({{ … }}, {% … %}); the built-in templates in casebook's themes/default/ show the expected form"),
            );
            ok = false;
        }
    }
    if ok && let Err(e) = tera.build_inheritance_chains() {
        diagnostics.push(
            Diagnostic::error(format!("template error: {}", error_chain(&e)))
                .hint("check the `{% extends %}` and `{% block %}` names in the theme's templates"),
        );
        ok = false;
    }
    ok.then_some(tera)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Tera reports parse errors as `--> line:col` inside its message.
fn template_error(e: &tera::Error) -> (usize, usize, String) {
    let text = error_chain(e);
    let mut line = 0;
    let mut col = 1;
    if let Some(pos) = text.find("--> ") {
        let rest = &text[pos + 4..];
        let mut nums = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        line = nums.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        col = nums.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    }
    let message = text
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim()
        .trim_start_matches("= ")
        .to_string();
    (line, col, message)
}
