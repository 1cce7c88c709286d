//! Fuzz the ruleset and config loaders: any text gives a ruleset or a
//! located error, never a panic, and an error's label lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::config::{self, RawOptions};
use tracklint::vendors::Ruleset;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = Ruleset::from_sources(&[("fuzz.toml".into(), text.into())]) {
        if let Some(span) = e.span {
            assert!(span.offset() + span.len() <= text.len(), "label outside the text");
        }
    }
    let _ = config::resolve_text(
        RawOptions::default(),
        Some("tracklint.toml".into()),
        Some(text.to_string()),
    );
});
