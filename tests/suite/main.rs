//! casebook's integration tests, in one test program (one link step instead of one per
//! area): each module is an area, and they share the helpers of `common` and the built
//! fixtures each area keeps.

mod common;
mod http;

mod browser;
mod build;
mod check;
mod curriculum;
mod editions;
mod guide;
mod pdf;
mod reliability;
mod serve;
