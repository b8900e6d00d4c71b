//! The inputs the fuzz targets (`fuzz/`) found a panic, a hang or a
//! difference with, each kept under `tests/fixtures/fuzz/TARGET/` and
//! replayed here through the target's own code (`fuzz/targets.rs`), so
//! plain `cargo test` holds them fixed without a nightly compiler.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

#[test]
fn every_case_the_fuzzers_found_is_handled() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for (name, target) in targets::TARGETS {
        let Ok(entries) = std::fs::read_dir(cases.join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files
            .iter()
            .filter(|f| f.extension().is_none_or(|e| e != "md"))
        {
            let data = std::fs::read(file).unwrap();
            let run = std::panic::catch_unwind(|| target(&data));
            assert!(run.is_ok(), "{name}: {} panics", file.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "the cases are in {}", cases.display());
}
