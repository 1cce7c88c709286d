//! Invariants of the decoders a URL goes through before it is parsed,
//! whatever the input: CSS tokenizing and escapes ([`check_css`]), and an
//! attribute value's character references, cleaning and resolving
//! ([`check_attribute_url`]). The `css` and `url` fuzz targets call them;
//! a violation panics with a description.
//!
//! * Every range lies inside the input, on character boundaries.
//! * Every decoded-to-source map has one entry per decoded byte and the
//!   end last, is non-decreasing, stays inside its source range, and points
//!   each decoded character at what it was decoded from.
//! * Differential checks: mapped and unmapped reference decoding agree;
//!   text serialized as a CSS string or an unquoted `url()` decodes back
//!   to itself; a URL resolves the same cleaned or not.

use std::ops::Range;

use crate::scan::css;
use crate::url::{self, Url};

/// Checks `map`, the source offset of each byte of `decoded` and then
/// `span.end`: its length, that it is non-decreasing and inside `span`,
/// that every byte of a character maps where its first byte does, on a
/// character boundary of `source`, strictly after the previous character's,
/// and that `holds(c, rest)` for each character `c` and the source `rest`
/// from its offset on.
fn check_map(
    source: &str,
    decoded: &str,
    map: &[usize],
    span: Range<usize>,
    holds: impl Fn(char, &str) -> bool,
) {
    assert_eq!(
        map.len(),
        decoded.len() + 1,
        "a map of {} entries for {} decoded bytes",
        map.len(),
        decoded.len()
    );
    assert_eq!(
        map.last(),
        Some(&span.end),
        "the map does not end at the span's end"
    );
    assert!(
        map.windows(2).all(|w| w[0] <= w[1]),
        "the map goes backwards: {map:?}"
    );
    let mut previous: Option<usize> = None;
    for (k, c) in decoded.char_indices() {
        let at = map[k];
        assert!(
            span.start <= at && at < span.end,
            "{c:?} maps to {at}, outside {span:?}"
        );
        assert!(
            map[k..k + c.len_utf8()].iter().all(|&o| o == at),
            "the bytes of {c:?} map to different offsets"
        );
        assert!(source.is_char_boundary(at), "{c:?} maps inside a character");
        assert!(
            previous.is_none_or(|p| p < at),
            "two characters map to {at}"
        );
        previous = Some(at);
        assert!(
            holds(c, &source[at..]),
            "{c:?} maps to {:?}, which it cannot come from",
            &source[at..source.len().min(at + 12)]
        );
    }
}

/// `text` as CSSOM serializes a string, without the quotes: NUL as
/// U+FFFD, controls as hex escapes, `"` and `\` escaped.
fn serialize_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '\u{1}'..='\u{1F}' | '\u{7F}' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as the contents of an unquoted `url()`: every ASCII character
/// but letters and digits as a hex escape.
fn serialize_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out
}

/// Runs the CSS URL finder on `text` and checks its URLs: in source order,
/// not empty, inside the text on character boundaries, each value mapped
/// to its source text (and equal to it where there is no escape and no
/// NUL); and `text` written as a quoted and as an unquoted `url()` is read
/// back as itself. Returns the number of URLs found.
pub fn check_css(text: &str) -> usize {
    let found = css::urls(text);
    let mut previous_end = 0;
    for u in &found {
        let span = u.span.clone();
        assert!(
            previous_end <= span.start && span.start < span.end && span.end <= text.len(),
            "URL at {span:?} after one ending at {previous_end}, in {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "URL at {span:?} cuts a character"
        );
        previous_end = span.end;
        check_map(text, &u.value, &u.map, span.clone(), |c, rest| {
            rest.starts_with(c)
                || rest.starts_with('\\')
                || (c == '\u{FFFD}' && rest.starts_with('\0'))
        });
        let source = &text[span];
        if !source.contains(['\\', '\0']) {
            assert_eq!(u.value, source, "a URL without escapes changed");
        }
    }
    let want = text.replace('\0', "\u{FFFD}");
    for css in [
        format!("a{{b:url(\"{}\")}}", serialize_string(text)),
        format!("a{{b:url({})}}", serialize_url(text)),
    ] {
        let got: Vec<String> = css::urls(&css).into_iter().map(|u| u.value).collect();
        let want: &[&str] = if want.is_empty() { &[] } else { &[&want] };
        assert_eq!(got, want, "{css:?} is not read back");
    }
    found.len()
}

/// Runs an attribute value through what a URL attribute's value goes
/// through (character references decoded with their map, cleaned,
/// resolved against `base`) and what a `style` attribute's does (its CSS
/// URLs mapped back to the value), and checks each step. Returns whether
/// the value resolved to a host.
pub fn check_attribute_url(value: &str, base: &Url) -> bool {
    let (decoded, map) = url::decode_entities_mapped(value);
    assert_eq!(
        decoded,
        url::decode_entities(value),
        "mapped and unmapped decoding differ"
    );
    check_map(value, &decoded, &map, 0..value.len(), |c, rest| {
        rest.starts_with(c) || rest.starts_with('&')
    });

    let cleaned = url::cleaned(&decoded);
    assert!(
        !cleaned.contains(['\t', '\n', '\r'])
            && !cleaned.starts_with(|c: char| c <= ' ')
            && !cleaned.ends_with(|c: char| c <= ' '),
        "not cleaned: {cleaned:?}"
    );
    assert_eq!(url::cleaned(&cleaned), cleaned, "cleaning twice changes it");
    let parts = url::resolve(&decoded, base);
    assert_eq!(
        parts,
        url::resolve(&cleaned, base),
        "{decoded:?} resolves differently once cleaned"
    );
    if let Some(p) = &parts {
        assert!(
            !p.host.is_empty() && !p.host.ends_with('.') && p.host == p.host.to_ascii_lowercase(),
            "host {:?}",
            p.host
        );
        assert!(p.path.starts_with('/'), "path {:?}", p.path);
    }

    // A style attribute: CSS in the decoded value, spans mapped back.
    for u in css::urls(&decoded) {
        let (s, e) = (map[u.span.start], map[u.span.end]);
        assert!(
            s < e && e <= value.len(),
            "CSS URL at {:?} maps to {s}..{e} of {} bytes",
            u.span,
            value.len()
        );
        assert!(
            value.is_char_boundary(s) && value.is_char_boundary(e),
            "CSS URL maps to {s}..{e}, inside a character"
        );
    }
    parts.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_invariants_hold_on_every_escape_form() {
        for (css, n) in [
            (r#"a{b:url("https://www\2e facebook\2e com/tr")}"#, 1),
            ("a{b:u\\72l(x\\2e\r\ny) c:url('p\\\nq')} @\\69mport 'z';", 3),
            ("a{b:url(x\0\\", 1),
            ("a{b:url('\\0 \\D800 \\110000 é😀\\", 1),
            ("/* url(x) */ a{b:url(x y)}", 0),
            ("", 0),
        ] {
            assert_eq!(check_css(css), n, "{css:?}");
        }
        assert_eq!(serialize_string("a\"\\\n\0é"), "a\\\"\\\\\\a \u{FFFD}é");
        assert_eq!(serialize_url("a b)"), "a\\20 b\\29 ");
    }

    #[test]
    fn attribute_invariants_hold() {
        let base = url::document_base();
        let away = Url::parse("https://www.facebook.com/x/").unwrap();
        assert!(check_attribute_url(
            "https:&#x2F;&#x2F;www.facebook.com&sol;tr?a=1&amp;b",
            &base
        ));
        assert!(check_attribute_url("tr?id=1", &away));
        assert!(!check_attribute_url("tr?id=1", &base));
        // As a style attribute, its CSS URL maps back inside the value.
        check_attribute_url(
            "background:url(&quot;https://www\\2e facebook\\2e com/tr&quot;)",
            &base,
        );
        assert!(!check_attribute_url("&#0;&#x80;&aaaa😀;&", &base));
    }
}
