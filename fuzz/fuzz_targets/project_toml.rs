#![no_main]
//! Fuzz target: see `p80::fuzzing` and fuzz/run.sh.

libfuzzer_sys::fuzz_target!(|data: &[u8]| p80::fuzzing::project_toml(data));
