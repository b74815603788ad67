//! The pages a reader meets: lessons in order, workshop pages, Markdown as readers expect,
//! the schedule, the exercise index, the directory, print views, the theme, the sitemap
//! and the warnings a build gives while it still builds.

use super::*;

#[test]
fn lessons_are_ordered_by_weight_then_file_name() {
    let workshop = text(&mentee().page("01-first/index.html"));
    assert_in_order(
        &workshop,
        &[
            "Lessons",
            "Gamma Lesson",
            "Alpha Lesson 45 min",
            "Beta Lesson 30 min",
        ],
    );
    // Previous and next follow the same order.
    let alpha = text(&mentee().page("01-first/01-alpha/index.html"));
    assert_in_order(&alpha, &["Previous Gamma Lesson", "Next Beta Lesson"]);
}

#[test]
fn workshop_page_shows_session_objectives_duration_lessons_and_exercises() {
    let page = text(&mentee().page("01-first/index.html"));
    assert_in_order(
        &page,
        &[
            "Session 1 First Workshop",
            "Date 1 March 2026",
            "Duration 3 h",
            "What you will learn Spot an urgent case Explain consent in plain words",
            "Before this workshop None",
            "This workshop is about the first call.",
            "Exercises for this workshop The Reveal Case Foundation 30 min Model answer included The Exam Case Advanced No model answer",
            "Print this workshop",
            // Previous and next come before the sources, "Back to top" after them.
            "Next Gamma Lesson",
            "Last reviewed: 10 January 2026",
            "Employment Ordinance (Cap. 57), s. 17 (rest days)",
            "↑ Back to top",
        ],
    );
    let crumbs = mentee().page("01-first/01-alpha/index.html");
    let trail = &crumbs[crumbs
        .find("aria-label=\"You are here\"")
        .expect("a breadcrumb trail")..];
    assert_in_order(
        &text(trail),
        &["Programme", "First Workshop", "Alpha Lesson"],
    );
}

/// Every `id` on a page is used once: links to a heading or a footnote land on it.
fn assert_unique_ids(html: &str) {
    let mut seen = std::collections::HashSet::new();
    for (at, _) in html.match_indices(" id=") {
        let rest = &html[at + 4..];
        let id = match rest.strip_prefix('"') {
            Some(quoted) => &quoted[..quoted.find('"').expect("closing quote")],
            None => &rest[..rest.find([' ', '>']).expect("end of the tag")],
        };
        assert!(seen.insert(id), "the id `{id}` is used twice");
    }
    assert!(!seen.is_empty());
}

/// The opening tag just before `needle` in `html`.
fn opening_tag_before<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html.find(needle).expect("on the page");
    &html[html[..at].rfind('<').expect("a tag before it")..at]
}

#[test]
fn markdown_features_render_as_readers_expect() {
    let html = mentee().page("01-first/01-alpha/index.html");
    let page = text(&html);
    assert!(
        html.contains("<h2 id=open-questions>Open questions</h2>"),
        "{html}"
    );
    assert!(
        page.contains("Warning Never promise an outcome."),
        "callout: {page}"
    );
    // A table is a region of its own, named after the heading above it, that scrolls
    // sideways when it must. This one always fits a phone: no tab stop.
    let region = opening_tag_before(&html, "<table>");
    for part in [
        "class=table-wrap",
        "role=region",
        "aria-label=\"Open questions\"",
        "data-hint=\"Scroll sideways to see the whole table →\"",
    ] {
        assert!(region.contains(part), "{part} in {region}");
    }
    assert!(!region.contains("tabindex"), "{region}");
    for callout in [
        "Note Notes are kept for a year.",
        "Tip Ask for the payslips.",
        "Important Keep her passport out of it.",
        "Caution Do not post her story online.",
    ] {
        assert!(page.contains(callout), "callout `{callout}`: {page}");
    }
    assert!(
        html.contains("<del>the helper pays the agency HK$10,000</del>"),
        "strikethrough: {html}"
    );
    // The boxes are for the eye; a screen reader hears "Not done" and "Done".
    assert!(
        page.contains("☐Not done: Ask for consent") && page.contains("☑Done: Write down the date"),
        "task list: {page}"
    );
    // Footnotes are numbered, link both ways, and their ids never clash with a heading's:
    // the footnote `[^wages]` and the heading "Wages" are both on this page.
    assert!(
        html.contains("<sup class=footnote-reference id=fnref:wages><a href=#fn:wages>1</a></sup>"),
        "footnote reference: {html}"
    );
    assert!(
        html.contains("<sup class=footnote-reference><a href=#fn:wages>1</a></sup>"),
        "a second reference to the same note has no id of its own: {html}"
    );
    assert!(
        html.contains("<div class=footnote-definition id=fn:wages>"),
        "footnote: {html}"
    );
    assert!(html.contains("<h3 id=wages>Wages</h3>"), "{html}");
    assert_unique_ids(&html);
    assert!(
        html.contains("class=\"hl-source hl-rust\"") || html.contains("hl-rust"),
        "highlighted code: {html}"
    );
    assert!(
        html.contains("assets/highlight.css"),
        "the page links the highlighting stylesheet"
    );
    assert!(
        page.contains(
            "Role-play: The first phone call Roles: Rina, a worker; Maria, a union leader."
        ),
        "{page}"
    );
    // Links go to pages, not to Markdown files; the image is copied beside its page.
    assert!(html.contains("href=../02-beta/#checklist"), "{html}");
    assert!(
        html.contains("href=../../fact-patterns/reveal-case/"),
        "{html}"
    );
    assert!(html.contains("href=#open-questions"), "{html}");
    assert!(
        html.contains("<img alt=\"The intake form\" loading=lazy src=../form.png>"),
        "{html}"
    );
    assert!(mentee().out.join("01-first/form.png").is_file());
    // An "On this page" list for lessons with three or more sections.
    assert_in_order(
        &page,
        &[
            "On this page",
            "Open questions",
            "Second heading",
            "Third heading",
        ],
    );
    assert!(
        !html.contains(".md"),
        "no link to a Markdown file survives: {html}"
    );
}

#[test]
fn a_form_to_fill_in_and_a_wide_table_are_marked_for_the_stylesheet() {
    let html = mentee().page("toolkit/checklist/index.html");
    // The blank "Date" column makes the table a form: its blank cells get room to write.
    let form = opening_tag_before(&html, "<table><thead><tr><th>Deadline");
    assert!(
        form.contains("class=\"table-wrap fill-in\"") && form.contains("aria-label=Deadlines"),
        "{form}"
    );
    // Its longest words side by side are wider than a phone: a tab stop, to scroll it.
    assert!(form.contains("tabindex=0"), "{form}");
    // A second table under the same heading gets a name of its own.
    let second = opening_tag_before(&html, "<table><thead><tr><th>Office");
    assert!(second.contains("aria-label=\"Deadlines (2)\""), "{second}");
    assert!(!second.contains("fill-in"), "{second}");
}

#[test]
fn programme_schedule_sums_the_workshops() {
    let page = text(&mentee().page("schedule/index.html"));
    assert_in_order(
        &page,
        &[
            "Session Workshop Date Duration",
            "1 First Workshop 1 March 2026 3 h",
            "2 Second Workshop 1 h 30 min",
            "Total 4 h 30 min",
        ],
    );
}

#[test]
fn fact_pattern_index_is_filterable_by_level_and_topic() {
    let html = mentee().page("fact-patterns/index.html");
    let page = text(&html);
    assert_in_order(
        &page,
        &[
            "Level All Foundation Advanced",
            "Topic Topic All agencies rest days wages",
            "The Reveal Case Foundation",
            "The Exam Case Advanced",
        ],
    );
    let reveal = html.find("The Reveal Case").expect("listed");
    let item = &html[html[..reveal].rfind("<li").expect("in a list item")..reveal];
    assert!(
        item.contains("data-level=foundation") && item.contains("data-topics=\"wages rest-days\""),
        "{item}"
    );
    // The filters are CSS only: they work with JavaScript off.
    assert!(
        html.contains(".fp-index:has(#topic-wages:checked) .fp-list li:not([data-topics~=wages])"),
        "{html}"
    );
    // The only script is the offline one every page loads; filtering needs none.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(html.contains("assets/offline.js"), "{html}");
    assert!(!page.contains("DRAFT-CASE-MARKER"), "drafts are left out");
}

#[test]
fn referral_directory_has_tap_to_call_links_grouped_by_kind() {
    let html = mentee().page("toolkit/referrals/index.html");
    let page = text(&html);
    assert!(html.contains("href=tel:+85212345678"), "{html}");
    assert!(html.contains("href=https://wa.me/85287654321"), "{html}");
    assert!(html.contains("href=tel:999"), "{html}");
    assert_in_order(
        &page,
        &[
            "In an emergency, call 999.",
            "Shelters",
            "Example Shelter",
            "Call +852 1234 5678",
            "WhatsApp +852 8765 4321",
            "Hours Open 24 hours",
            "Details checked on 1 March 2026",
            "Government",
            "Example Labour Office",
            "Details not yet checked.",
        ],
    );
    // The toolkit links to the directory written as `referrals.yaml`.
    assert!(
        mentee()
            .page("toolkit/index.html")
            .contains("href=referrals/")
    );
}

#[test]
fn print_views_hold_every_page_with_full_urls_and_no_navigation() {
    let html = mentee().page("01-first/print/index.html");
    let page = text(&html);
    assert_in_order(
        &page,
        &[
            "First Workshop",
            "This workshop is about the first call.",
            "Gamma Lesson",
            "Alpha Lesson",
            "Open questions",
            "Beta Lesson",
            "The Reveal Case",
            "The Exam Case",
        ],
    );
    assert!(!html.contains("class=menu"), "no menu in print: {html}");
    assert!(
        !html.contains("class=\"breadcrumbs"),
        "no breadcrumbs in print"
    );
    // Links carry full URLs, to be printed beside them.
    assert!(
        html.contains("href=https://example.org/course/01-first/02-beta/#checklist"),
        "{html}"
    );
    assert!(html.contains("class=print-part"), "{html}");
    // Two lessons both have a footnote `[^wages]`: in one page, each keeps its own id.
    assert_unique_ids(&html);
    assert!(
        !page.contains("TRAINER-"),
        "no trainer text in the mentee print view"
    );
    let toolkit = text(&mentee().page("toolkit/print/index.html"));
    assert_in_order(
        &toolkit,
        &[
            "Toolkit",
            "Intake checklist",
            "Get help",
            "Example Shelter +852 1234 5678 Open 24 hours",
        ],
    );
    // The stylesheet has the print rules: no chrome, URLs shown, a page per part.
    let css = mentee().page("assets/style.css");
    assert!(css.contains("content: \" (\" attr(href) \")\""));
    assert!(css.contains(".print-part + .print-part { break-before: page; }"));
}

#[test]
fn a_site_replaces_theme_files_one_by_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let result = build_into(&fixture("theme-override"), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!stderr(&result).contains("warning"), "{}", stderr(&result));
    let read = |rel: &str| fs::read_to_string(out.join(rel)).expect(rel);
    // `themes/mine/templates/page.html` makes lessons; the other templates are built in.
    let lesson = read("01-first/01-alpha/index.html");
    assert!(
        text(&lesson).contains("Alpha Lesson Printed by the Domestic Workers' Union Listen first."),
        "{lesson}"
    );
    let exercise = read("fact-patterns/rest-days/index.html");
    assert!(!exercise.contains("Domestic Workers' Union"), "{exercise}");
    assert!(
        exercise.contains("class=\"breadcrumbs wrap\""),
        "built-in template: {exercise}"
    );
    // The site's stylesheet replaces the built-in one; the built-in scripts stay.
    assert!(read("assets/style.css").starts_with("/* The union's own stylesheet. */"));
    assert_eq!(
        read("assets/offline.js"),
        include_str!("../../../themes/default/static/offline.js")
    );
    // `i18n/en.yaml` changes one string; the others stay as built in.
    assert!(
        exercise.contains("<summary>Reveal the answer</summary>"),
        "{exercise}"
    );
    assert!(
        text(&exercise).contains("Previous Alpha Lesson"),
        "{exercise}"
    );
}

#[test]
fn a_site_without_its_full_address_builds_without_a_sitemap_and_check_says_why() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("theme-override"), &site);
    let config = site.join("casebook.yaml");
    let yaml = fs::read_to_string(&config).expect("config");
    fs::write(&config, yaml.replace("https://casebook.test/", "/course/")).expect("write");
    let out = tmp.path().join("public");
    let result = build_into(&site, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    // A site not yet published builds without a word on it; `check`, run before
    // publishing, says what the address is needed for.
    assert!(!stderr(&result).contains("warning"), "{}", stderr(&result));
    let check = casebook()
        .arg("check")
        .arg("--root")
        .arg(&site)
        .output()
        .expect("check runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("warning: `base_url` is `/course/`, not the site's full address: a build makes no `sitemap.xml`, and the addresses and QR codes printed in print views and PDFs lead nowhere\n --> casebook.yaml:"),
        "{report}"
    );
    assert!(!out.join("sitemap.xml").exists());
    assert_eq!(
        fs::read_to_string(out.join("robots.txt")).expect("robots.txt"),
        "User-agent: *\nAllow: /\n"
    );
}

#[test]
fn pages_are_minified_and_load_nothing_from_elsewhere() {
    for (path, bytes) in mentee().files() {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                html.starts_with("<!doctype html><html lang="),
                "{}: {}",
                path.display(),
                &html[..80.min(html.len())]
            );
            assert!(!html.contains("\n\n"), "{} is minified", path.display());
            assert!(
                !html.contains("src=http")
                    && !html.contains("src=\"http")
                    && !html.contains("stylesheet href=http"),
                "{} loads from another origin",
                path.display()
            );
            if path != Path::new("404.html") {
                assert!(
                    html.contains(" name=description>"),
                    "{} has a description for search engines and link previews",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn large_images_are_a_warning_that_does_not_fail_the_build() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("content");
    copy_dir(&fixture("basic"), &site);
    // A 400 KB file behind the image name: a phone photo pasted in as it came.
    let mut png = fs::read(site.join("curriculum/01-first/form.png")).expect("png");
    png.resize(400 * 1024, 0);
    fs::write(site.join("curriculum/01-first/form.png"), &png).expect("write");
    let out = tmp.path().join("public");
    let result = casebook()
        .arg("build")
        .arg("--no-pdf")
        .arg("--root")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(result.status.success(), "{}", stderr(&result));
    let expected = "warning: the image `curriculum/01-first/form.png` is 400 KB, heavy for a phone on prepaid data\n  --> curriculum/01-first/01-alpha.md:46:1\n   |\n46 | ![The intake form](form.png)\n   | ^^^^^^^^\n   = help: make it at most 1200 pixels wide and save it as JPEG, or compress the PNG: aim for under 250 KB\n";
    assert!(stderr(&result).starts_with(expected), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("with 1 warning"),
        "{}",
        stderr(&result)
    );
}

#[test]
fn pages_past_their_review_date_say_so() {
    // Reviewed 2020-01-01, to be reviewed every 12 months: overdue since 1 January 2021.
    let beta = text(&mentee().page("01-first/02-beta/index.html"));
    assert!(beta.contains("This page was due for review on 1 January 2021. The law or the phone numbers may have changed: check with your mentor before relying on it."), "{beta}");
    let indonesian = text(&mentee().page("id/01-first/02-beta/index.html"));
    assert!(
        indonesian.contains("Halaman ini seharusnya diperiksa ulang pada 1 Januari 2021."),
        "{indonesian}"
    );
    // A page with no review date has no such notice (`check` reports those).
    let gamma = text(&mentee().page("01-first/03-gamma/index.html"));
    assert!(!gamma.contains("due for review"), "{gamma}");
}

/// Markdown as mdBook, Pandoc and GitHub write it comes in as its writer meant it: an
/// email autolink is a `mailto:` link; an `id` in raw HTML is an anchor a link may use;
/// code is highlighted by the first word of its info string (`rust,ignore`, `{.python}`),
/// TOML too; definition lists are lists; a workshop without `summary` shows its first
/// paragraph once; "On this page" leaves out the headings inside a folded model answer;
/// pictures and links written in raw HTML are published as Markdown's are.
#[test]
fn markdown_written_for_other_tools_comes_in_as_meant() {
    let site = build("from-elsewhere", &[]);
    let lesson = site.page("01-tools/01-written-elsewhere/index.html");
    assert!(
        lesson.contains("<a href=mailto:questions@casebook.test>questions@casebook.test</a>"),
        "{lesson}"
    );
    for anchor in ["former-name", "marked-phrase"] {
        assert!(lesson.contains(&format!("<a href=#{anchor}>")), "{anchor}");
        assert!(lesson.contains(&format!("id={anchor}>")), "{anchor}");
    }
    for language in ["rust", "python", "toml"] {
        assert!(
            lesson.contains(&format!("<span class=\"hl-source hl-{language}\">")),
            "{language} is not highlighted"
        );
    }
    let toc = lesson
        .split("toc-box")
        .nth(1)
        .and_then(|t| t.split("</details>").next())
        .expect("the lesson has an \"On this page\" list");
    assert!(
        toc.contains("Anchors from raw HTML") && toc.contains("Practice"),
        "{toc}"
    );
    assert!(!toc.contains("Inside the answer"), "{toc}");
    // A definition list (`Term` then `: definition`), as glossaries are written.
    assert!(
        lesson.contains("<dl><dt>Limit of stay</dt><dd>The last day she may stay, as her visa label gives it.</dd></dl>"),
        "{lesson}"
    );
    // Raw HTML's `src` and `href` are resolved, checked and published as Markdown's: the
    // picture is copied and shown in the page, its print view and its PDF; the one inside a
    // trainer note stays out of the mentee edition.
    let picture = "<img alt=\"A picture placed with HTML\" src=../img/drawn-in-html.png width=96>";
    assert!(lesson.contains(picture), "{lesson}");
    assert!(site.page("01-tools/print/index.html").contains(picture));
    assert!(
        lesson.contains("<a href=../>the workshop’s page</a>"),
        "{lesson}"
    );
    assert!(
        lesson.contains("<a class=plain href=#former-name>"),
        "{lesson}"
    );
    assert!(site.out.join("01-tools/img/drawn-in-html.png").is_file());
    assert!(!site.out.join("01-tools/img/for-trainers.png").exists());
    assert!(!lesson.contains("for-trainers"), "{lesson}");
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(site.out.join("pdf/01-tools.pdf"))
        .output()
        .expect("pdfimages (poppler-utils) runs");
    let images = String::from_utf8_lossy(&images.stdout);
    // The picture, 48 by 24 pixels, is the PDF's only one.
    let sizes: Vec<(&str, &str)> = images
        .lines()
        .skip(2)
        .filter_map(|l| {
            let columns: Vec<&str> = l.split_whitespace().collect();
            Some((*columns.get(3)?, *columns.get(4)?))
        })
        .collect();
    assert_eq!(sizes, [("48", "24")], "{images}");
    let workshop = text(&site.page("01-tools/index.html"));
    assert_eq!(
        workshop
            .matches("This opening sentence stands once on the page of the workshop.")
            .count(),
        1,
        "{workshop}"
    );
}
