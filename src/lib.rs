//! casebook compiles a training curriculum written in Markdown (workshops, fact-pattern
//! exercises, a case handling toolkit) into a static site for phones, in every language it
//! is written in, with a trainer edition beside the mentee one.
//!
//! The pipeline, one way: discover → parse → model → render → index → typeset → write
//! (see `build`).

pub mod config;
pub mod diag;
pub mod discover;
pub mod i18n;
pub mod parse;
pub mod schema;
pub mod source;
pub mod text;
pub mod theme;
pub mod values;
pub mod yaml;

/// The modules beyond reading content: the `site` feature, on by default and off only for
/// the fuzz targets (fuzz/), which need the parsers alone.
macro_rules! site_modules {
    ($($name:ident),*) => {
        $(
            #[cfg(feature = "site")]
            pub mod $name;
        )*
    };
}
site_modules!(
    build, check, external, import, init, model, output, preview, render, scaffold, serve,
    translate, typeset, watch
);

#[cfg(feature = "site")]
pub use build::{BuildOptions, BuildReport, Error, Loaded, build, load, load_cached};

pub use config::Edition;
pub use diag::{Diagnostic, Severity};
