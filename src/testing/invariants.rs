//! Invariants every scan keeps, whatever the input. The fuzz targets
//! (`fuzz/`) and the property tests call [`check_scan`]; a violation
//! panics with a description.
//!
//! * Findings are identical however the input is split into reads.
//! * Every finding's byte range lies inside the scanned stream.
//! * Line and column agree with a naive count from the byte offset.
//! * A URL finding's bytes really contain the URL's host (differential
//!   check of the matcher against the text).

use std::io::Read;
use std::sync::OnceLock;

use crate::config::HostSet;
use crate::finding::Position;
use crate::input::read::{self, FileKind};
use crate::rules::Rule;
use crate::scan::css;
use crate::scan::locate;
use crate::scan::{self, ScanContext};
use crate::url;
use crate::vendors::Ruleset;

/// The built-in ruleset, loaded once.
pub fn builtin() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| Ruleset::builtin().expect("built-in rulesets load"))
}

/// A reader returning reads of the given sizes (cycling; a 0 reads 1).
pub struct Chunked<'a> {
    data: &'a [u8],
    sizes: &'a [usize],
    i: usize,
}

impl<'a> Chunked<'a> {
    /// Reads `data` in pieces of `sizes`.
    pub fn new(data: &'a [u8], sizes: &'a [usize]) -> Self {
        Chunked { data, sizes, i: 0 }
    }
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.i % self.sizes.len()].max(1);
        self.i += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The positions of `offsets` (sorted) in `text` (UTF-8), counted the
/// simple way: line breaks are LF, CRLF and lone CR; columns are the
/// characters a WHATWG decoder shows (each maximal invalid subsequence is
/// one U+FFFD). One pass; the offsets are character boundaries.
fn naive_positions(text: &[u8], offsets: &[usize]) -> Vec<Position> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut line, mut line_start, mut col, mut counted_to) = (1u64, 0usize, 0u64, 0usize);
    let mut i = 0;
    for &offset in offsets {
        while i < offset {
            match text[i] {
                b'\n' => {
                    line += 1;
                    line_start = i + 1;
                }
                b'\r' => {
                    line += 1;
                    if text.get(i + 1) == Some(&b'\n') && i + 1 < offset {
                        i += 1;
                    }
                    line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if counted_to < line_start {
            counted_to = line_start;
            col = 0;
        }
        col += String::from_utf8_lossy(&text[counted_to..offset])
            .chars()
            .count() as u64;
        counted_to = offset;
        out.push(Position {
            line,
            column: col + 1,
        });
    }
    out
}

/// The position of one offset (tests).
#[cfg(test)]
fn naive_position(text: &[u8], offset: usize) -> Position {
    naive_positions(text, &[offset])[0]
}

/// Both template masks of `stream` keep every byte's offset and every
/// line break, split the stream between them, and do not depend on read
/// sizes.
pub fn check_template_masks(stream: &[u8], sizes: &[usize]) {
    use crate::scan::template::{Keep, Masked};
    let read = |r: &mut dyn Read| {
        let mut out = Vec::new();
        r.read_to_end(&mut out).expect("reading memory cannot fail");
        out
    };
    let markup = read(&mut Masked::new(stream, Keep::Markup));
    let code = read(&mut Masked::new(stream, Keep::Expressions));
    assert_eq!(
        read(&mut Masked::new(Chunked::new(stream, sizes), Keep::Markup)),
        markup,
        "template mask depends on read sizes {sizes:?}"
    );
    assert_eq!(markup.len(), stream.len());
    assert_eq!(code.len(), stream.len());
    for ((&s, &m), &c) in stream.iter().zip(&markup).zip(&code) {
        // Each byte is kept on exactly one side (a space on both when the
        // original is one); line breaks on both.
        if matches!(s, b'\n' | b'\r') {
            assert!(m == s && c == s);
        } else {
            assert!(
                (m == s && c == b' ') || (c == s && m == b' '),
                "byte {s:?} is kept on neither side"
            );
        }
    }
}

/// Scans `bytes` as `kind` whole and split into reads of `sizes`, and
/// checks every invariant. Returns the number of findings.
pub fn check_scan(bytes: &[u8], kind: FileKind, sizes: &[usize]) -> usize {
    let rs = builtin();
    let fp = HostSet::default();
    let ctx = ScanContext::new(rs, &fp);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let Ok(decoding) = read::detect(head, kind) else {
        return 0;
    };
    let mut stream = Vec::new();
    scan::stream(bytes, decoding)
        .read_to_end(&mut stream)
        .expect("reading memory cannot fail");

    if kind == FileKind::Html {
        check_template_masks(&stream, sizes);
    }
    let whole = ctx.scan_stream(&stream[..], kind, decoding);
    let split = ctx.scan_stream(Chunked::new(&stream, sizes), kind, decoding);
    let (whole, split) = match (whole, split) {
        (Ok(w), Ok(s)) => (w, s),
        (Err(_), Err(_)) => return 0,
        (w, s) => panic!("whole and split scans disagree on failing: {w:?} / {s:?}"),
    };
    assert_eq!(whole, split, "findings depend on read sizes {sizes:?}");

    let ranges: Vec<_> = whole.iter().map(|f| f.start..f.end).collect();
    for f in &whole {
        assert!(
            f.start <= f.end && f.end <= stream.len() as u64,
            "finding {f:?} outside a {}-byte stream",
            stream.len()
        );
    }
    let located = locate::locate(&stream[..], decoding.encoding, &ranges).expect("memory");
    let utf8 = decoding.encoding == encoding_rs::UTF_8;
    let mut offsets: Vec<usize> = whole
        .iter()
        .flat_map(|f| [f.start as usize, f.end as usize])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let positions = if utf8 {
        naive_positions(&stream, &offsets)
    } else {
        Vec::new()
    };
    let naive = |o: u64| positions[offsets.binary_search(&(o as usize)).expect("listed")];
    for (f, l) in whole.iter().zip(&located) {
        assert!(l.start.line >= 1 && l.start.column >= 1 && l.start <= l.end);
        let ex = &l.excerpt;
        assert!(ex.label.start <= ex.label.end && ex.label.end <= ex.text.len());
        assert!(ex.text.is_char_boundary(ex.label.start) && ex.text.is_char_boundary(ex.label.end));
        if utf8 {
            assert_eq!(l.start, naive(f.start), "start of {f:?}");
            assert_eq!(l.end, naive(f.end), "end of {f:?}");
        }
        if let (Some(u), Rule::TrackerScript | Rule::TrackerPixel | Rule::TrackerSnippet) =
            (&f.url, f.rule)
        {
            let host = u.split('/').next().unwrap_or_default();
            let (raw, _) = decoding
                .encoding
                .decode_without_bom_handling(&stream[f.start as usize..f.end as usize]);
            let text = url::decode_entities(&raw).to_ascii_lowercase();
            // As a browser reads it: tabs and line breaks dropped,
            // percent-escapes decoded.
            let cleaned: String = text
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let decoded = percent_encoding::percent_decode_str(&cleaned).decode_utf8_lossy();
            let trimmed = cleaned.trim_matches(|c: char| c <= ' ');
            // As the CSS tokenizer reads a URL in a stylesheet.
            let unescaped = css::unescape_mapped(&text, true).0;
            // As the JavaScript engine reads a string expression.
            let folded = {
                let mut folder = crate::scan::jsfold::Folder::default();
                let mut out = Vec::new();
                folder.feed(text.as_bytes(), &mut out);
                folder.finish(&mut out);
                out.iter()
                    .any(|f| f.text.to_ascii_lowercase().contains(host))
            };
            let holds_host = text.contains(host)
                || folded
                || decoded.contains(host)
                || url::parse(&cleaned).is_some_and(|p| p.host == host)
                || url::parse(&unescaped).is_some_and(|p| p.host == host)
                // Code or a document inside a data: or javascript: URL,
                // and a relative URL resolved against a <base href>.
                || trimmed.starts_with("data:")
                || trimmed.starts_with("javascript:")
                // (each reading: an attribute's, a stylesheet's with its
                // escapes decoded)
                || is_relative(trimmed)
                || is_relative(unescaped.trim_matches(|c: char| c <= ' '))
                // In raw text (a <style> element) `&#9;` is not a
                // character reference: `ht&#9;tps:` has no scheme there.
                || is_relative(raw.trim_matches(|c: char| c <= ' '));
            assert!(
                holds_host,
                "{} finding at {}..{} does not point at its host {host}: {text:?}",
                f.rule, f.start, f.end
            );
        }
    }
    whole.len()
}

/// Whether a URL as written may be relative to the document (or its
/// base): no scheme, or a special scheme not followed by two slashes
/// (`https:/x` takes its host from an `https:` base), and not
/// scheme-relative (`//host`, `\\\\host`).
fn is_relative(url: &str) -> bool {
    let two_slashes =
        |b: &[u8]| b.len() >= 2 && matches!(b[0], b'/' | b'\\') && matches!(b[1], b'/' | b'\\');
    let b = url.as_bytes();
    let colon = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))
        .filter(|&i| b[i] == b':' && b.first().is_some_and(u8::is_ascii_alphabetic));
    match colon {
        None => !two_slashes(b),
        Some(i) => {
            let scheme = url[..i].to_ascii_lowercase();
            let special = ["http", "https", "ws", "wss", "ftp", "file"].contains(&scheme.as_str());
            special && !two_slashes(&b[i + 1..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_positions() {
        let t = b"a\r\nb\rc\nd";
        assert_eq!(naive_position(t, 3), Position { line: 2, column: 1 });
        assert_eq!(naive_position(t, 5), Position { line: 3, column: 1 });
        assert_eq!(naive_position(t, 7), Position { line: 4, column: 1 });
        assert_eq!(
            naive_position("é😀x".as_bytes(), 6),
            Position { line: 1, column: 3 }
        );
    }

    #[test]
    fn demo_page_keeps_the_invariants() {
        let page = include_bytes!("../../testdata/demo-site/index.html");
        assert_eq!(check_scan(page, FileKind::Html, &[7, 300, 1]), 13);
    }
}
