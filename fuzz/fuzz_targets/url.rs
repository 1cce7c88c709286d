//! Fuzz an attribute value's way to a URL: character references decoded
//! with their map, cleaned, resolved against a base, and read as a `style`
//! attribute's CSS; no panic, every mapped span inside the value, maps
//! monotonic, and the decoders agree (`tracklint::testing::decoding`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::url::{self, Url};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the base: the page itself, or a `<base href>`
    // on a tracker's host or an IPv6 host with a path.
    let Some((&b, body)) = data.split_first() else {
        return;
    };
    let base = match b % 3 {
        0 => url::document_base(),
        1 => Url::parse("https://www.facebook.com/").expect("a valid URL"),
        _ => Url::parse("http://[::1]:8080/a/b?c#d").expect("a valid URL"),
    };
    tracklint::testing::decoding::check_attribute_url(&String::from_utf8_lossy(body), &base);
});
