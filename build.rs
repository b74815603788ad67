//! Links the `casebook` program at a fixed address on Linux rather than as a
//! position-independent executable. A position-independent casebook has about 150,000
//! addresses for the loader to fix at every start: that was 15% of the time of a small
//! build, and 16 MB of memory (`casebook --version` peaked at 24 MB, and at 8 MB linked
//! this way). Go links its programs the same way by default. README, Performance.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
