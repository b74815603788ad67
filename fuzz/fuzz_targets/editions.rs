//! The two editions of a page of arbitrary Markdown around a trainer note and an answer
//! kept for trainers (see `editions_check`): the mentee edition never shows either.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "editions_check.rs"]
mod editions_check;

fuzz_target!(|bytes: &[u8]| {
    editions_check::editions(bytes);
});
