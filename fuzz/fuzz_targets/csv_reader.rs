//! `cargo fuzz run csv_reader`: see `targets::csv_reader`.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::csv_reader(data));
