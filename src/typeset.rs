//! PDF typesetting, behind one door: typst markup (written by `render::pdf`) in, PDF bytes
//! out. Embeds the typst compiler as a library with its bundled fonts (plus CJK fonts found
//! in the site's `fonts/` folder or on the machine), and lets a document read only the
//! files under the site root. The only module that knows about typst.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// Fonts and the standard library, loaded once and shared by every document of a build.
pub struct Fonts {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    /// The fonts bundled with typst, plus `.ttf`/`.otf`/`.ttc` files in the `fonts/` folder
    /// of the site in `root` (no symbolic link followed) and CJK fonts installed on the
    /// machine.
    pub fn load(root: &Path) -> Fonts {
        let mut fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let site_fonts = crate::source::walk(root, Path::new("fonts"), &mut Vec::new());
        fonts.extend(
            site_fonts
                .iter()
                .filter(|rel| is_font(&rel.to_string_lossy()))
                .filter_map(|rel| std::fs::read(root.join(rel)).ok())
                .flat_map(|data| Font::iter(Bytes::new(data)).collect::<Vec<_>>()),
        );
        for dir in ["/usr/share/fonts", "/usr/local/share/fonts"] {
            fonts.extend(font_files(Path::new(dir), |name| {
                let name = name.to_lowercase();
                [
                    "cjk",
                    "wqy",
                    "droidsansfallback",
                    "notosanssc",
                    "notoserifsc",
                    "notosanstc",
                ]
                .iter()
                .any(|k| name.contains(k))
            }));
        }
        let book = FontBook::from_fonts(&fonts);
        Fonts {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
        }
    }

    /// Whether any font can show Chinese characters.
    pub fn has_cjk(&self) -> bool {
        self.fonts
            .iter()
            .any(|f| f.info().coverage.contains('中' as u32))
    }
}

/// Whether a file's name is a font's.
fn is_font(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".ttf") || lower.ends_with(".otf") || lower.ends_with(".ttc")
}

fn font_files(dir: &Path, wanted: impl Fn(&str) -> bool) -> Vec<Font> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            is_font(&name) && wanted(&name)
        })
        .filter_map(|e| std::fs::read(e.path()).ok())
        .flat_map(|data| Font::iter(Bytes::new(data)).collect::<Vec<_>>())
        .collect()
}

/// One document to typeset.
pub struct Job<'a> {
    pub source: String,
    /// The site root: `image("/curriculum/…")` reads from here, and nowhere else.
    pub root: &'a Path,
    /// Files made in memory (the QR code), by their path in the document (`/qr.svg`).
    pub generated: HashMap<String, Vec<u8>>,
    pub today: crate::values::Date,
}

/// A typesetting error at a byte offset of the generated source.
#[derive(Debug, Clone)]
pub struct Problem {
    pub offset: Option<usize>,
    pub message: String,
    pub hints: Vec<String>,
}

struct DocWorld<'a> {
    fonts: &'a Fonts,
    main: Source,
    job: Job<'a>,
    files: std::sync::Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

fn main_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new("/casebook-document.typ").expect("a valid path"),
    )
    .intern()
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.fonts.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let mut cache = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(id)
            .or_insert_with(|| {
                let rooted = id.get();
                if !matches!(rooted.root(), VirtualRoot::Project) {
                    return Err(FileError::AccessDenied);
                }
                let vpath = rooted.vpath().get_with_slash().to_string();
                if let Some(bytes) = self.job.generated.get(&vpath) {
                    return Ok(Bytes::new(bytes.clone()));
                }
                // Virtual paths are normalized (no `..`), so they stay under the root.
                let path = rooted
                    .vpath()
                    .realize(self.job.root)
                    .map_err(|_| FileError::AccessDenied)?;
                let meta =
                    std::fs::symlink_metadata(&path).map_err(|e| FileError::from_io(e, &path))?;
                if meta.file_type().is_symlink() {
                    return Err(FileError::AccessDenied);
                }
                std::fs::read(&path)
                    .map(Bytes::new)
                    .map_err(|e| FileError::from_io(e, &path))
            })
            .clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let d = self.job.today;
        Datetime::from_ymd(d.year, d.month as u8, d.day as u8)
    }
}

/// Typesets one document into a tagged PDF.
pub fn typeset(fonts: &Fonts, mut job: Job<'_>) -> Result<Vec<u8>, Vec<Problem>> {
    let main = Source::new(main_id(), std::mem::take(&mut job.source));
    let world = DocWorld {
        fonts,
        main,
        job,
        files: Default::default(),
    };
    let problems = |diags: &[typst::diag::SourceDiagnostic]| -> Vec<Problem> {
        diags
            .iter()
            .map(|d| Problem {
                offset: world.range(d.span).map(|r| r.start),
                message: d.message.to_string(),
                hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
            })
            .collect()
    };
    let document = typst::compile::<PagedDocument>(&world).output;
    let options = typst_pdf::PdfOptions {
        tagged: true,
        ..Default::default()
    };
    let pdf = document
        .map_err(|e| problems(&e))
        .and_then(|document| typst_pdf::pdf(&document, &options).map_err(|e| problems(&e)));
    // typst remembers its work in a cache shared by every document, which would otherwise
    // grow with each one: a site of 100 PDFs took 1.6 GB. What the last few documents did
    // not use goes (the curriculum's documents share their preamble and fonts).
    typst::comemo::evict(KEEP_FOR_DOCUMENTS);
    pdf
}

/// How many documents typst's cache keeps a result for that none of them used.
const KEEP_FOR_DOCUMENTS: usize = 8;

/// The fonts, loaded on first use.
pub fn shared_fonts(root: &Path) -> Arc<Fonts> {
    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| Arc::new(Fonts::load(root)))
        .clone()
}

/// Forgets typst's memoized work, so the next document is typeset from scratch (benchmarks).
pub fn forget_cache() {
    typst::comemo::evict(0);
}
