//! `cargo fuzz run values`: see `targets::values`.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::values(data));
