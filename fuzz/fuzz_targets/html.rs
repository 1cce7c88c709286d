//! Fuzz the HTML scanner: no panic, and every invariant in
//! `tracklint::testing::invariants` (chunking, spans, positions, hosts) holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::input::read::FileKind;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the read sizes for the split scan.
    let (sizes, body) = match data.split_first() {
        Some((&b, rest)) => ([usize::from(b % 61) + 1, usize::from(b) * 13 + 1, 3], rest),
        None => ([1, 1, 1], data),
    };
    tracklint::testing::invariants::check_scan(body, FileKind::Html, &sizes);
});
