//! `cargo fuzz run xlsx_reader`: see `targets::xlsx_reader`.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::xlsx_reader(data));
