//! Fuzz the code scanner: no panic, and every invariant in
//! `tracklint::invariants` (chunking, spans, positions, hosts) holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::classify::FileKind;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the read sizes for the split scan.
    let (sizes, body) = match data.split_first() {
        Some((&b, rest)) => ([usize::from(b % 61) + 1, usize::from(b) * 13 + 1, 3], rest),
        None => ([1, 1, 1], data),
    };
    tracklint::invariants::check_scan(body, FileKind::Js, &sizes);
});
