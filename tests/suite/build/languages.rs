//! Languages: translated pages in their language, untranslated ones falling back with a
//! visible note, and the sitemap's alternates.

use super::*;

#[test]
fn untranslated_pages_fall_back_with_a_visible_note() {
    let html = mentee().page("id/01-first/index.html");
    let page = text(&html);
    assert!(
        page.contains(
            "Halaman ini belum diterjemahkan ke Bahasa Indonesia. Ditampilkan dalam English."
        ),
        "{page}"
    );
    // The English content is marked as English; the page's own words are Indonesian.
    assert!(html.contains("<html lang=id"), "{html}");
    assert!(html.contains("id=main lang=en"), "{html}");
    assert!(page.contains("First Workshop"));
    assert!(page.contains("Yang akan Anda pelajari"), "{page}");
    // Search engines are pointed at the original.
    assert!(
        html.contains("<meta content=noindex name=robots>"),
        "{html}"
    );
    assert!(
        html.contains("href=https://example.org/course/01-first/ rel=canonical"),
        "{html}"
    );
    // Links on a fallback page take the reader to pages in her language: the lesson's links
    // land on the reveal case's Indonesian translation and on the Indonesian copy of beta.
    let lesson = mentee().page("id/01-first/01-alpha/index.html");
    for (href, lands_on) in [
        (
            "../../fact-patterns/reveal-case/",
            "id/fact-patterns/reveal-case/index.html",
        ),
        ("../02-beta/#checklist", "id/01-first/02-beta/index.html"),
    ] {
        assert!(lesson.contains(&format!("href={href}")), "{href}: {lesson}");
        assert!(mentee().out.join(lands_on).is_file(), "{lands_on}");
    }
    assert!(
        text(&mentee().page("id/fact-patterns/reveal-case/index.html")).contains("Kasus Terbuka"),
        "the link lands on the translation"
    );
}

#[test]
fn translated_pages_are_in_their_language_and_link_to_the_others() {
    let html = mentee().page("id/fact-patterns/reveal-case/index.html");
    let page = text(&html);
    assert!(page.contains("Kasus Terbuka"));
    assert!(
        page.contains("Terjemahan ini belum diperiksa oleh penutur asli."),
        "{page}"
    );
    assert!(page.contains("Lihat contoh jawaban"), "{page}");
    assert!(
        !page.contains("belum diterjemahkan"),
        "a translated page has no fallback note"
    );
    // The language switcher links to the same page in English, and hreflang says so.
    assert!(
        html.contains("href=../../../fact-patterns/reveal-case/ hreflang=en lang=en>English</a>"),
        "{html}"
    );
    assert!(
        html.contains(
            "href=https://example.org/course/fact-patterns/reveal-case/ hreflang=en rel=alternate"
        ),
        "{html}"
    );
    assert!(html.contains("href=https://example.org/course/id/fact-patterns/reveal-case/ hreflang=id rel=alternate"), "{html}");
    // The English page links to its translation.
    let english = mentee().page("fact-patterns/reveal-case/index.html");
    assert!(
        english.contains(
            "href=../../id/fact-patterns/reveal-case/ hreflang=id lang=id>Bahasa Indonesia</a>"
        ),
        "{english}"
    );
}

#[test]
fn sitemap_lists_every_page_with_its_languages() {
    let xml = mentee().page("sitemap.xml");
    assert!(
        xml.contains("<loc>https://example.org/course/01-first/01-alpha/</loc>"),
        "{xml}"
    );
    assert!(
        xml.contains("<loc>https://example.org/course/id/fact-patterns/reveal-case/</loc>"),
        "{xml}"
    );
    assert!(xml.contains("<xhtml:link rel=\"alternate\" hreflang=\"id\" href=\"https://example.org/course/id/fact-patterns/reveal-case/\"/>"), "{xml}");
    // Fallback pages are not listed as translations; drafts are not listed at all.
    assert!(
        !xml.contains("<loc>https://example.org/course/id/01-first/01-alpha/</loc>"),
        "{xml}"
    );
    assert!(!xml.contains("draft-case"), "{xml}");
    assert!(
        mentee()
            .page("robots.txt")
            .contains("Sitemap: https://example.org/course/sitemap.xml")
    );
}
