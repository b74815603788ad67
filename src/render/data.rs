//! What the templates get, as typed, serialisable data: each part of a page's context (the
//! navigation, a page's text and dates, a workshop, a fact pattern, the lists) is a struct
//! built for the template that shows it, named as the template names it.

use serde::Serialize;
use serde_json::Value;

/// A link with its text: breadcrumbs, previous and next, list items.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A list item that has pages under it (a workshop in the search page's contents).
#[derive(Debug, Serialize)]
pub struct LinkWithPages {
    pub title: String,
    pub url: String,
    pub pages: Vec<Link>,
}

/// An item of the site's menu.
#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub label: String,
    pub url: String,
    pub current: bool,
    pub key: &'static str,
}

/// A link to the same page in another language.
#[derive(Debug, Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub url: String,
    pub current: bool,
    pub translated: bool,
}

/// An `hreflang` alternate of the page.
#[derive(Debug, Serialize)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

/// The search box: where it sends a query, and how the page is indexed.
#[derive(Debug, Serialize)]
pub struct SearchBox {
    pub url: String,
    /// The page goes into the search index.
    pub index: bool,
    /// The part it belongs to, shown with its search results.
    pub workshop: Option<String>,
    /// The header shows the box.
    #[serde(rename = "box")]
    pub shows_box: bool,
}

/// What every page gets: its language, the site, the navigation, links to its other
/// languages, and the notes a page may carry.
#[derive(Debug, Serialize)]
pub struct Base {
    pub lang: String,
    pub content_lang: String,
    pub site_title: String,
    pub root: String,
    pub home: String,
    pub edition: &'static str,
    pub trainer: bool,
    pub asset_version: String,
    pub canonical: String,
    pub noindex: bool,
    pub menu: Vec<MenuItem>,
    pub languages: Vec<LanguageLink>,
    pub alternates: Vec<Alternate>,
    pub breadcrumbs: Vec<Option<Link>>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub fallback_note: Option<String>,
    pub overdue_note: Option<String>,
    pub needs_review: bool,
    pub has_code: bool,
    pub kind: &'static str,
    pub print: bool,
    pub search: SearchBox,
}

/// A heading of the page's table of contents.
#[derive(Debug, Serialize)]
pub struct TocItem {
    pub id: String,
    pub text: String,
}

/// A page of the curriculum: its title, text and what is said about it.
#[derive(Debug, Serialize)]
pub struct PageText<'a> {
    pub title: String,
    pub content: String,
    /// What the page is about, for its description: its `summary`, else its first paragraph.
    pub summary: String,
    /// The `summary` as written, shown above the text (never the first paragraph again).
    pub lead: Option<String>,
    pub reviewed: Option<String>,
    pub reviewed_iso: Option<String>,
    pub sources: &'a [String],
    pub duration: Option<String>,
    pub toc: Vec<TocItem>,
    /// Marked `draft: true`: built only with `--drafts`, and in the preview.
    pub draft: bool,
    /// For trainers only (`audience: trainer`): not in the mentee edition, as the page says.
    pub trainers: bool,
}

/// A page made by casebook (a list, the search page, the 404 page): its title and summary.
#[derive(Debug, Serialize)]
pub struct PageTitle {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A print view's page: its title, address on the site, and summary.
#[derive(Debug, Serialize)]
pub struct PrintPage {
    pub title: String,
    pub url: String,
    pub summary: String,
}

/// One page of a print view.
#[derive(Debug, Serialize)]
pub struct PrintPart {
    pub title: String,
    pub id: String,
    pub content: String,
    pub first: bool,
    pub lang: String,
    pub url: String,
    pub duration: Option<String>,
}

/// A workshop on the programme page.
#[derive(Debug, Serialize)]
pub struct WorkshopSummary {
    pub title: String,
    pub summary: Option<String>,
    pub session: Option<i64>,
    pub date: Option<String>,
    pub duration: Option<String>,
    pub url: String,
    /// Marked `draft: true`: the list says "Draft" beside it.
    pub draft: bool,
    /// For trainers only (`audience: trainer`): the list says so beside it.
    pub trainers: bool,
}

/// The toolkit on the programme page.
#[derive(Debug, Serialize)]
pub struct ToolkitLink {
    pub title: String,
    pub url: String,
    pub directory_url: String,
}

/// A lesson or tool in its workshop's list.
#[derive(Debug, Serialize)]
pub struct LessonItem {
    pub title: String,
    pub url: String,
    pub duration: Option<String>,
    /// Marked `draft: true`: the list says "Draft" beside it.
    pub draft: bool,
    /// For trainers only (`audience: trainer`): the list says so beside it.
    pub trainers: bool,
}

/// A link to a PDF, its size filled in once the PDF is made.
#[derive(Debug, Serialize)]
pub struct PdfLink {
    pub url: String,
    pub size: String,
}

/// A bundle of `casebook.yaml` to download: its title and its PDF.
#[derive(Debug, Serialize)]
pub struct BundleLink {
    pub title: String,
    pub pdf: PdfLink,
}

/// A part of the site a reader can save for offline reading.
#[derive(Debug, Serialize)]
pub struct OfflinePart {
    pub size: String,
    pub id: String,
}

/// A workshop's (or the toolkit's) own page.
#[derive(Debug, Serialize)]
pub struct Workshop<'a> {
    pub session: Option<i64>,
    pub date: Option<String>,
    pub duration: Option<String>,
    pub objectives: &'a [String],
    pub prerequisites: &'a [String],
    pub lessons: Vec<LessonItem>,
    pub exercises: Vec<FactItem<'a>>,
    pub is_toolkit: bool,
    pub print_url: String,
    pub pdf: Option<PdfLink>,
    pub trainer_pdf: Option<PdfLink>,
    pub directory_url: Option<String>,
    pub offline: Option<OfflinePart>,
}

/// A fact pattern's own page.
#[derive(Debug, Serialize)]
pub struct Fact {
    pub level: Option<&'static str>,
    pub level_label: Option<String>,
    pub topics: Vec<String>,
    pub time: Option<String>,
    pub workshop: Option<Link>,
    pub answer: AnswerMark,
}

/// Whether an exercise's readers get its model answers, as its lists and its page say it.
#[derive(Debug, Serialize)]
pub struct AnswerMark {
    /// `included`: the page holds model answers its readers can open (in the mentee
    /// edition, answers for self-study); `trainer` (trainer edition only): answers that
    /// mentees do not get; `none`: no model answer for this edition's readers.
    pub kind: &'static str,
    /// What the exercise lists say.
    pub label: String,
    /// What the exercise's page says after its questions, when it has no answer to open.
    pub note: Option<String>,
}

/// A fact pattern in a list (its workshop's page, the exercise index).
#[derive(Debug, Serialize)]
pub struct FactItem<'a> {
    pub title: String,
    pub url: String,
    pub level: Option<&'static str>,
    pub level_label: Option<String>,
    pub topics: &'a [String],
    pub topic_ids: Vec<String>,
    pub time: Option<String>,
    pub workshop: Option<String>,
    pub answer: AnswerMark,
    /// Marked `draft: true`: the list says "Draft" beside it.
    pub draft: bool,
    /// For trainers only (`audience: trainer`): the list says so beside it.
    pub trainers: bool,
}

/// A level fact patterns can be filtered by.
#[derive(Debug, Serialize)]
pub struct LevelFilter {
    pub name: &'static str,
    pub label: String,
}

/// A topic fact patterns can be filtered by.
#[derive(Debug, Serialize)]
pub struct TopicFilter {
    pub name: String,
    pub id: String,
    pub label: String,
}

/// The exercise index.
#[derive(Debug, Serialize)]
pub struct Facts<'a> {
    pub items: Vec<FactItem<'a>>,
    pub topics: Vec<TopicFilter>,
    pub levels: Vec<LevelFilter>,
    pub pdf: Option<PdfLink>,
}

/// The filters of the search page.
#[derive(Debug, Serialize)]
pub struct Filters {
    pub levels: Vec<LevelFilter>,
    pub topics: Vec<TopicFilter>,
}

/// The search page's list of every page, for readers without JavaScript.
#[derive(Debug, Serialize)]
pub struct Contents {
    pub programme: Link,
    pub schedule_url: String,
    pub workshops: Vec<LinkWithPages>,
    pub toolkit: Option<LinkWithPages>,
    pub fact_patterns: Vec<Link>,
    pub fact_index_url: String,
}

/// A workshop in the schedule.
#[derive(Debug, Serialize)]
pub struct ScheduleRow {
    pub session: Option<i64>,
    pub title: String,
    pub url: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub duration: Option<String>,
    pub lessons: usize,
    /// Marked `draft: true`: the list says "Draft" beside it.
    pub draft: bool,
    /// For trainers only (`audience: trainer`): the list says so beside it.
    pub trainers: bool,
}

/// The schedule: its rows and their total time.
#[derive(Debug, Serialize)]
pub struct Schedule {
    pub rows: Vec<ScheduleRow>,
    pub total: Option<String>,
}

/// The referral directory, grouped by kind.
#[derive(Debug, Serialize)]
pub struct Directory {
    pub groups: Vec<DirectoryGroup>,
}

/// The entries of one kind (shelters, legal aid…).
#[derive(Debug, Serialize)]
pub struct DirectoryGroup {
    pub kind: String,
    pub label: String,
    /// Each entry as `referrals.yaml` gives it, with its `tel:` and WhatsApp addresses and
    /// when it was verified, in words.
    pub entries: Vec<Value>,
}

/// The service worker's template: the site's version, and what it keeps from the first
/// visit.
#[derive(Debug, Serialize)]
pub struct ServiceWorker<'a> {
    pub version: &'a str,
    pub precache: &'a [String],
    /// Pages kept at install: each language's `saved/` page and Get help page.
    pub help: &'a [String],
    /// (a language's folder, its `saved/` page), the longest folder first.
    pub saved_pages: &'a [(String, String)],
}

/// `value` as the JSON a template reads.
pub fn value(value: impl Serialize) -> Value {
    serde_json::to_value(value).expect("template data serializes")
}
