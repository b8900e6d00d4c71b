//! `cargo fuzz run html_reader`: see `targets::html_reader`.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::html_reader(data));
