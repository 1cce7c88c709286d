//! URLs in CSS, as a browser fetches them: `url(…)` (quoted or not),
//! `@import "…"`, and the string candidates of `image-set(…)` and
//! `-webkit-image-set(…)`. Used for `style` attributes and `<style>`
//! blocks; comments are skipped.

use std::ops::Range;

/// The byte ranges of every URL `css` fetches.
pub fn urls(css: &str) -> Vec<Range<usize>> {
    let b = css.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Inside `image-set(`: its quoted strings are URLs too.
    let mut image_set_depth: Option<usize> = None;
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
            }
            b'"' | b'\'' => {
                let (r, next) = string(b, i);
                if image_set_depth.is_some() || preceded_by_import(b, i) {
                    out.push(r);
                }
                i = next;
            }
            b'(' => {
                depth += 1;
                let name = ident_before(b, i);
                if name.eq_ignore_ascii_case(b"url") {
                    let (r, next) = url_token(b, i + 1);
                    if let Some(r) = r {
                        out.push(r);
                    }
                    depth -= 1;
                    i = next;
                    continue;
                }
                if name.eq_ignore_ascii_case(b"image-set")
                    || name.eq_ignore_ascii_case(b"-webkit-image-set")
                {
                    image_set_depth.get_or_insert(depth);
                }
                i += 1;
            }
            b')' => {
                if image_set_depth == Some(depth) {
                    image_set_depth = None;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    out
}

/// The range of the quoted string opening at `at` and the index after it.
fn string(b: &[u8], at: usize) -> (Range<usize>, usize) {
    let q = b[at];
    let mut i = at + 1;
    while i < b.len() && b[i] != q && b[i] != b'\n' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    let end = i.min(b.len());
    (at + 1..end, (end + 1).min(b.len()))
}

/// The URL inside `url(` whose content starts at `from`, and the index after
/// the closing parenthesis.
fn url_token(b: &[u8], from: usize) -> (Option<Range<usize>>, usize) {
    let mut i = from;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if matches!(b.get(i), Some(b'"' | b'\'')) {
        let (r, next) = string(b, i);
        let close = find(b, next, b")").map_or(b.len(), |c| c + 1);
        return (Some(r), close);
    }
    let start = i;
    while i < b.len() && b[i] != b')' && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    let close = find(b, i, b")").map_or(b.len(), |c| c + 1);
    ((i > start).then_some(start..i), close)
}

/// The identifier just before `(` at `at`.
fn ident_before(b: &[u8], at: usize) -> &[u8] {
    let start = b[..at]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
        .map_or(0, |p| p + 1);
    &b[start..at]
}

/// Whether the string at `at` follows `@import` (white space between).
fn preceded_by_import(b: &[u8], at: usize) -> bool {
    let before = b[..at].trim_ascii_end();
    before.len() >= 7 && before[before.len() - 7..].eq_ignore_ascii_case(b"@import")
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)
        .and_then(|rest| memchr::memmem::find(rest, needle))
        .map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(css: &str) -> Vec<&str> {
        urls(css).into_iter().map(|r| &css[r]).collect()
    }

    #[test]
    fn url_forms() {
        assert_eq!(
            found("background:URL( 'https://a.example/x' ); b: url(//b.example/y) url(\"c\")"),
            ["https://a.example/x", "//b.example/y", "c"]
        );
    }

    #[test]
    fn imports_and_image_sets() {
        assert_eq!(
            found("@import \"https://a.example/s.css\"; @import url(//b.example/t.css) screen;"),
            ["https://a.example/s.css", "//b.example/t.css"]
        );
        assert_eq!(
            found(
                "x{background-image:image-set(\"https://c.example/1.png\" 1x, 'd.png' 2x)} y{content:\"not a url\"}"
            ),
            ["https://c.example/1.png", "d.png"]
        );
        assert_eq!(
            found("x{background:-webkit-image-set(url(e.png) 1x)}"),
            ["e.png"]
        );
    }

    #[test]
    fn comments_and_strings_are_not_urls() {
        assert_eq!(
            found("/* url(https://a.example/x) */ a{content:'url(b)'}"),
            Vec::<&str>::new()
        );
        assert_eq!(found("a{b:url(unterminated"), ["unterminated"]);
        assert_eq!(found("'unterminated"), Vec::<&str>::new());
    }
}
