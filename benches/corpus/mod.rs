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

/// The corpus's second language; the first is English.
pub struct Language {
    pub code: &'static str,
    pub name: &'static str,
    /// A translated lesson's title starts with this word.
    lesson: &'static str,
    /// Whether Zola can build a search index for it (elasticlunr knows French, not
    /// Indonesian).
    pub zola_indexes: bool,
}

/// The second language by default: Zola indexes it, so that it does the same work as
/// casebook, which indexes every language.
pub const FRENCH: Language = Language {
    code: "fr",
    name: "Français",
    lesson: "Leçon",
    zola_indexes: true,
};

/// The second language of casebook's first users; Zola indexes only the English pages.
pub const INDONESIAN: Language = Language {
    code: "id",
    name: "Bahasa Indonesia",
    lesson: "Pelajaran",
    zola_indexes: false,
};

impl Language {
    /// `CASEBOOK_BENCH_LANGUAGE` (`fr` or `id`); French when it is not set.
    pub fn from_env() -> Result<&'static Language, String> {
        match std::env::var("CASEBOOK_BENCH_LANGUAGE").as_deref() {
            Err(_) | Ok("fr") => Ok(&FRENCH),
            Ok("id") => Ok(&INDONESIAN),
            Ok(other) => Err(format!(
                "CASEBOOK_BENCH_LANGUAGE is `{other}`: the corpus can be written with `fr` (the default) or `id`"
            )),
        }
    }
}

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

/// Writes a site of about `pages` HTML pages (entries × 2 languages: English and
/// `second`) into `root`.
pub fn write(root: &Path, pages: usize, second: &Language) {
    let entries = pages / 2;
    let lessons_per = 8;
    let workshops = (entries / (lessons_per + 2)).max(1);
    fs::create_dir_all(root.join("curriculum/toolkit")).unwrap();
    fs::create_dir_all(root.join("fact-patterns")).unwrap();
    fs::write(
        root.join("casebook.yaml"),
        format!(
            "title: Benchmark Curriculum\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  en: {{ name: English }}\n  {}: {{ name: {} }}\n",
            second.code, second.name
        ),
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
                    dir.join(format!("{:02}-lesson.{}.md", l + 1, second.code)),
                    text.replace("title: Lesson", &format!("title: {}", second.lesson)),
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

/// The `(path in the site, title, Markdown body)` of every page of a corpus that
/// [`write`] made, with its language (`None` for the default one) and its front matter
/// `weight` (its order among its folder's pages), for writing it in another tool's layout.
#[derive(Clone)]
struct Page {
    /// Folder relative to the content root (`""`, `007-workshop`, `fact-patterns`…).
    folder: String,
    /// `None` for a folder's `_index.md`.
    stem: Option<String>,
    lang: Option<String>,
    title: String,
    weight: usize,
    body: String,
}

fn pages_of(root: &Path) -> Vec<Page> {
    let mut pages = Vec::new();
    for top in ["curriculum", "fact-patterns"] {
        for entry in walkdir::WalkDir::new(root.join(top)).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = fs::read_to_string(path).unwrap();
            let (front, body) = text[4..].split_once("\n---\n").unwrap();
            let title = front
                .lines()
                .find_map(|l| l.strip_prefix("title: "))
                .unwrap()
                .to_string();
            let rel = path.parent().unwrap().strip_prefix(root.join(top)).unwrap();
            let mut folder = rel.to_string_lossy().into_owned();
            if top == "fact-patterns" {
                folder = "fact-patterns".into();
            }
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let (stem, lang) = match name.split_once('.') {
                Some((s, l)) => (s.to_string(), Some(l.to_string())),
                None => (name, None),
            };
            let weight = stem
                .split(['-', '_'])
                .find_map(|p| p.parse::<usize>().ok())
                .unwrap_or(0)
                + 1;
            pages.push(Page {
                folder,
                stem: (stem != "_index").then_some(stem),
                lang,
                title,
                weight,
                body: body.to_string(),
            });
        }
    }
    pages
}

/// `pages` with, for every page not translated into the `second` language, a copy of it in
/// English under its name in that language. casebook publishes every page in every language, and an
/// untranslated one in the original's words (with a note saying so); the other tools
/// would publish nothing there, and so do half the work. With these copies they write
/// the same pages.
fn with_fallback_copies(pages: Vec<Page>, second: &Language) -> Vec<Page> {
    let translated: std::collections::HashSet<(String, Option<String>)> = pages
        .iter()
        .filter(|p| p.lang.is_some())
        .map(|p| (p.folder.clone(), p.stem.clone()))
        .collect();
    let copies: Vec<Page> = pages
        .iter()
        .filter(|p| p.lang.is_none() && !translated.contains(&(p.folder.clone(), p.stem.clone())))
        .map(|p| Page {
            lang: Some(second.code.into()),
            ..p.clone()
        })
        .collect();
    pages.into_iter().chain(copies).collect()
}

fn page_file(page: &Page, dir: &Path) -> std::path::PathBuf {
    let lang = page
        .lang
        .as_deref()
        .map(|l| format!(".{l}"))
        .unwrap_or_default();
    let stem = page.stem.as_deref().unwrap_or("_index");
    dir.join(&page.folder).join(format!("{stem}{lang}.md"))
}

/// Writes the print pages casebook writes into another tool's `content`: one per workshop
/// and one for the toolkit, in each language, holding the section's text, its pages and
/// (for a workshop) its fact pattern. Each is a section of its own, `print/_index{lang}.md`
/// inside the section it prints, with the front matter `front(folder, language suffix,
/// title, fact pattern file stem)` gives it.
fn write_print_sections(
    pages: &[Page],
    content: &Path,
    second: &Language,
    front: impl Fn(&str, &str, &str, Option<&str>) -> String,
) {
    for page in pages
        .iter()
        .filter(|p| p.stem.is_none() && p.lang.is_none())
    {
        if page.folder.is_empty() || page.folder == "fact-patterns" {
            continue;
        }
        // `NNN-workshop` has the fact pattern `case-(NNN-1)`, as `write` made them.
        let case = page
            .folder
            .split('-')
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("case-{:03}", n - 1));
        for lang in [String::new(), format!(".{}", second.code)] {
            let file = content
                .join(&page.folder)
                .join(format!("print/_index{lang}.md"));
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(
                file,
                front(&page.folder, &lang, &page.title, case.as_deref()),
            )
            .unwrap();
        }
    }
}

/// Writes the corpus at `root` (made by [`write`] with `second`) into `dir` as a Zola site doing the same
/// work: the pages in both languages, with previous/next links, breadcrumbs and language
/// links, a print page per workshop (left out of the index, as casebook's are), minified,
/// and Zola's search index for both languages (for English alone when the second is
/// Indonesian, which elasticlunr does not know).
pub fn write_zola(root: &Path, dir: &Path, second: &Language) {
    fs::create_dir_all(dir.join("templates")).unwrap();
    fs::write(
        dir.join("config.toml"),
        format!(
            "base_url = \"https://example.org\"\ntitle = \"Benchmark Curriculum\"\ndefault_language = \"en\"\nbuild_search_index = true\nminify_html = true\n\n[languages.{}]\ntitle = \"Benchmark Curriculum\"\nbuild_search_index = {}\n",
            second.code, second.zola_indexes
        ),
    )
    .unwrap();
    let base = r#"<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{% block title %}{% endblock %} · {{ config.title }}</title></head><body><header><a href="{{ get_url(path='@/_index.md', lang=lang) }}">{{ config.title }}</a></header><main>{% block main %}{% endblock %}</main></body></html>"#;
    fs::write(dir.join("templates/base.html"), base).unwrap();
    let page = r#"{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<nav>{% for a in page.ancestors %}{% set s = get_section(path=a, metadata_only=true) %}<a href="{{ s.permalink }}">{{ s.title }}</a> › {% endfor %}</nav>{% for t in page.translations %}<a href="{{ t.permalink }}" hreflang="{{ t.lang }}">{{ t.lang }}</a> {% endfor %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<nav>{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>{% endblock %}"#;
    fs::write(dir.join("templates/page.html"), page).unwrap();
    let section = r#"{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endblock %}"#;
    fs::write(dir.join("templates/section.html"), section).unwrap();
    fs::write(dir.join("templates/index.html"), section).unwrap();
    let print = r#"{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block main %}{% set of = get_section(path=section.extra.of) %}<h1>{{ of.title }}</h1>{{ of.content | safe }}{% for p in of.pages %}<section><h2>{{ p.title }}</h2>{{ p.content | safe }}</section>{% endfor %}{% if section.extra.case %}{% set c = get_page(path=section.extra.case) %}<section><h2>{{ c.title }}</h2>{{ c.content | safe }}</section>{% endif %}{% endblock %}"#;
    fs::write(dir.join("templates/print.html"), print).unwrap();
    let content = dir.join("content");
    let pages = with_fallback_copies(pages_of(root), second);
    write_print_sections(&pages, &content, second, |folder, lang, title, case| {
        let case = case
            .map(|c| format!("case = \"fact-patterns/{c}{lang}.md\"\n"))
            .unwrap_or_default();
        format!(
            "+++\ntitle = \"{title}\"\ntemplate = \"print.html\"\nin_search_index = false\n\n[extra]\nof = \"{folder}/_index{lang}.md\"\n{case}+++\n"
        )
    });
    for page in &pages {
        let file = page_file(page, &content);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        let title = page.title.replace('"', "\\\"");
        let front = if page.stem.is_none() {
            format!("+++\ntitle = \"{title}\"\nsort_by = \"weight\"\n+++\n")
        } else {
            format!("+++\ntitle = \"{title}\"\nweight = {}\n+++\n", page.weight)
        };
        fs::write(file, format!("{front}{}", page.body)).unwrap();
    }
    let facts = content.join("fact-patterns");
    for lang in [String::new(), format!(".{}", second.code)] {
        fs::write(
            facts.join(format!("_index{lang}.md")),
            "+++\ntitle = \"Fact patterns\"\nsort_by = \"weight\"\n+++\n",
        )
        .unwrap();
    }
}

/// Writes the corpus at `root` (made by [`write`] with `second`) into `dir` as a Hugo site doing the same
/// work: the pages in both languages, with previous/next links, breadcrumbs and language
/// links, a print page per workshop, minified (`hugo --minify`), and a JSON search file of
/// every page's text per language (Hugo has no search index of its own).
pub fn write_hugo(root: &Path, dir: &Path, second: &Language) {
    fs::create_dir_all(dir.join("layouts/_default")).unwrap();
    fs::write(
        dir.join("hugo.toml"),
        format!(
            "baseURL = \"https://example.org/\"\ntitle = \"Benchmark Curriculum\"\ndefaultContentLanguage = \"en\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n\n[outputs]\nhome = [\"HTML\", \"JSON\"]\n\n[languages.en]\nweight = 1\nlanguageName = \"English\"\n\n[languages.{}]\nweight = 2\nlanguageName = \"{}\"\n",
            second.code, second.name
        ),
    )
    .unwrap();
    let layouts = dir.join("layouts/_default");
    fs::write(
        layouts.join("baseof.html"),
        r#"<!doctype html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{{ .Title }} · {{ .Site.Title }}</title></head><body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>{{ range .Translations }} <a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</header><nav>{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>"#,
    )
    .unwrap();
    fs::write(
        layouts.join("single.html"),
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}"#,
    )
    .unwrap();
    fs::write(
        layouts.join("list.html"),
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}"#,
    )
    .unwrap();
    fs::write(
        dir.join("layouts/index.json"),
        r#"{{- $pages := slice -}}{{- range .Site.RegularPages -}}{{- $pages = $pages | append (dict "title" .Title "url" .RelPermalink "content" .Plain) -}}{{- end -}}{{- $pages | jsonify -}}"#,
    )
    .unwrap();
    fs::write(
        layouts.join("print.html"),
        r#"{{ define "main" }}{{ with .Parent }}<h1>{{ .Title }}</h1>{{ .Content }}{{ range .RegularPages }}<section><h2>{{ .Title }}</h2>{{ .Content }}</section>{{ end }}{{ end }}{{ with .Params.case }}{{ with site.GetPage . }}<section><h2>{{ .Title }}</h2>{{ .Content }}</section>{{ end }}{{ end }}{{ end }}"#,
    )
    .unwrap();
    let content = dir.join("content");
    let pages = with_fallback_copies(pages_of(root), second);
    write_print_sections(&pages, &content, second, |_, _, title, case| {
        let case = case
            .map(|c| format!("case: /fact-patterns/{c}\n"))
            .unwrap_or_default();
        format!("---\ntitle: \"{title}\"\nlayout: print\n{case}---\n")
    });
    for page in pages {
        let file = page_file(&page, &content);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        let title = page.title.replace('"', "\\\"");
        fs::write(
            file,
            format!(
                "---\ntitle: \"{title}\"\nweight: {}\n---\n{}",
                page.weight, page.body
            ),
        )
        .unwrap();
    }
    for lang in [String::new(), format!(".{}", second.code)] {
        fs::write(
            content.join(format!("fact-patterns/_index{lang}.md")),
            "---\ntitle: Fact patterns\n---\n",
        )
        .unwrap();
    }
}
