//! Fuzz the CSS URL finder and its escape decoder: no panic, every URL
//! inside the input on character boundaries, every decoded-to-source map
//! monotonic and inside its URL, and text written as a CSS string or an
//! unquoted `url()` read back as itself (`tracklint::testing::decoding`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The scanners hand css.rs text already decoded from the page's
    // encoding: invalid UTF-8 is U+FFFD by then.
    tracklint::testing::decoding::check_css(&String::from_utf8_lossy(data));
});
