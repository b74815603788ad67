//! Front matter, split and read for every kind of page (see `common::front_matter`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|bytes: &[u8]| common::front_matter(bytes));
