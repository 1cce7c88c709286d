//! Fuzz the inline-suppression parser: the same directives whatever the
//! chunking, each inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::scan::directive::DirectiveFinder;

fuzz_target!(|data: &[u8]| {
    let Some((&b, body)) = data.split_first() else {
        return;
    };
    let mut whole = DirectiveFinder::default();
    whole.feed(body);
    let whole = whole.finish();
    let mut split = DirectiveFinder::default();
    for chunk in body.chunks(usize::from(b % 23) + 1) {
        split.feed(chunk);
    }
    assert_eq!(whole, split.finish());
    for d in &whole {
        assert!(d.start <= d.end && d.end <= body.len() as u64, "{d:?}");
    }
});
