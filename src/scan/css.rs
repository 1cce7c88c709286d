//! URLs in CSS, as a browser fetches them: `url(…)` (quoted or not),
//! `@import "…"`, and the string candidates of `image-set(…)` and
//! `-webkit-image-set(…)`. Used for `style` attributes and `<style>`
//! blocks.
//!
//! The text is tokenized as the CSS Syntax Level 3 tokenizer does
//! (<https://www.w3.org/TR/css-syntax-3/#tokenization>), as far as telling
//! comments, strings, `url(…)` tokens, names and numbers apart needs.
//! Escapes are decoded where the tokenizer decodes them: in strings, in
//! unquoted `url(…)` and in names, so `url("https://www\2e facebook\2e com/tr")`
//! fetches `www.facebook.com`, `u\72l(…)` is `url(…)` and `@\69mport` is
//! `@import` (Chromium fetches all three). A string's `\` + newline is a
//! line continuation; an unquoted `url(…)` holding white space, a quote, a
//! `(` or a `\` + newline is a bad URL, which a browser does not fetch.

use std::borrow::Cow;
use std::ops::Range;

/// A URL a stylesheet fetches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// Its source text: a string's contents without the quotes, or an
    /// unquoted `url(…)`'s without the white space around them. A finding
    /// points at all of it, escapes included.
    pub span: Range<usize>,
    /// The URL as the tokenizer reads it: escapes decoded.
    pub value: String,
    /// The source offset each byte of `value` comes from, then
    /// `span.end`: non-decreasing, inside `span` (see [`unescape_mapped`]).
    pub map: Vec<usize>,
}

/// Every URL `css` fetches, in source order. Empty URLs (`url()`) are left
/// out: they fetch nothing.
pub fn urls(css: &str) -> Vec<Url> {
    let b = css.as_bytes();
    let mut out = Vec::new();
    let mut push = |span: Range<usize>, in_string: bool| {
        if !span.is_empty() {
            let (value, map) = unescape_mapped(&css[span.clone()], in_string);
            let map = map.into_iter().map(|o| span.start + o).collect();
            out.push(Url { span, value, map });
        }
    };
    let mut i = 0;
    // Open parentheses and functions.
    let mut depth = 0usize;
    // The depth of the outermost open `image-set(`: its strings are URLs.
    let mut image_set: Option<usize> = None;
    // The previous token was `@import` or a `url(` function: a string
    // next is a URL.
    let mut url_next = false;
    while i < b.len() {
        let c = b[i];
        if is_whitespace(c) {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
            continue;
        }
        let string_is_url = std::mem::take(&mut url_next) || image_set == Some(depth);
        match c {
            b'"' | b'\'' => {
                let (span, bad, next) = string(css, i);
                if string_is_url && !bad {
                    push(span, true);
                }
                i = next;
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                if image_set == Some(depth) {
                    image_set = None;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'@' if starts_ident(b, i + 1) => {
                let (name, next) = name(css, i + 1);
                url_next = name.eq_ignore_ascii_case("import");
                i = next;
            }
            // A hash token: its name is not a function's (`#url(` is not
            // `url(`).
            b'#' if b.get(i + 1).is_some_and(|&c| is_name_byte(c)) || valid_escape(b, i + 1) => {
                i = name(css, i + 1).1;
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' if starts_number(b, i) => i = numeric(css, i),
            // CDC and CDO.
            b'-' if b[i + 1..].starts_with(b"->") => i += 3,
            b'<' if b[i + 1..].starts_with(b"!--") => i += 4,
            _ if starts_ident(b, i) => {
                let (name, next) = name(css, i);
                i = next;
                if b.get(i) != Some(&b'(') {
                    continue;
                }
                i += 1;
                if name.eq_ignore_ascii_case("url") {
                    let j = skip_whitespace(b, i);
                    if matches!(b.get(j), Some(b'"' | b'\'')) {
                        // A `url(` function with a string in it.
                        depth += 1;
                        url_next = true;
                        i = j;
                    } else {
                        let (span, next) = url_token(css, j);
                        if let Some(span) = span {
                            push(span, false);
                        }
                        i = next;
                    }
                    continue;
                }
                depth += 1;
                if name.eq_ignore_ascii_case("image-set")
                    || name.eq_ignore_ascii_case("-webkit-image-set")
                {
                    image_set.get_or_insert(depth);
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Decodes the escapes in `s`, the contents of a string (`in_string`) or
/// of an unquoted `url(…)`, as the tokenizer does. A `\` followed by 1 to
/// 6 hex digits and one optional white space (CRLF counts as one) is that
/// code point (0, a surrogate or past U+10FFFF is U+FFFD); followed by any
/// other character but a newline, that character. In a string, `\` and a
/// newline are a line continuation and a final `\` stands for nothing; in a
/// URL a final `\` is U+FFFD. A NUL is U+FFFD, as the tokenizer's input
/// preprocessing makes it. Returns the offset in `s` each byte of the
/// result comes from (each byte of a decoded character maps to its
/// escape's `\`), then `s.len()`.
///
/// ```
/// use tracklint::scan::css::unescape_mapped;
/// let (text, map) = unescape_mapped(r"a\2e b\.c", true);
/// assert_eq!(text, "a.b.c");
/// assert_eq!(map, [0, 1, 5, 6, 8, 9]);
/// ```
pub fn unescape_mapped(s: &str, in_string: bool) -> (String, Vec<usize>) {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut i = 0;
    while i < b.len() {
        let (c, next) = match b[i] {
            b'\\' => match b.get(i + 1) {
                None if in_string => break,
                Some(b'\r') if in_string && b.get(i + 2) == Some(&b'\n') => {
                    i += 3;
                    continue;
                }
                Some(b'\n' | b'\r' | b'\x0C') if in_string => {
                    i += 2;
                    continue;
                }
                _ => escaped(s, i + 1),
            },
            0 => ('\u{FFFD}', i + 1),
            _ => {
                let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
                (c, i + c.len_utf8())
            }
        };
        map.extend(std::iter::repeat_n(i, c.len_utf8()));
        out.push(c);
        i = next;
    }
    map.push(s.len());
    (out, map)
}

/// The code point of the escape whose `\` is just before `i` (and not
/// followed by a newline), and the index after it ("consume an escaped
/// code point").
fn escaped(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    let Some(&c) = b.get(i) else {
        return ('\u{FFFD}', i);
    };
    if c.is_ascii_hexdigit() {
        let n = b[i..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        // At most six hex digits: no overflow.
        let value = u32::from_str_radix(&s[i..i + n], 16).unwrap_or(0);
        let mut next = i + n;
        if b[next..].starts_with(b"\r\n") {
            next += 2;
        } else if b.get(next).is_some_and(|&c| is_whitespace(c)) {
            next += 1;
        }
        // `from_u32` refuses surrogates and values past U+10FFFF.
        let c = match value {
            0 => '\u{FFFD}',
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        return (c, next);
    }
    if c == 0 {
        return ('\u{FFFD}', i + 1);
    }
    let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
    (c, i + c.len_utf8())
}

/// The string token whose quote is at `at`: the range of its contents,
/// whether it is a bad string (a newline ended it), and the index after
/// it. EOF ends a string as its quote would.
fn string(s: &str, at: usize) -> (Range<usize>, bool, usize) {
    let b = s.as_bytes();
    let q = b[at];
    let mut i = at + 1;
    loop {
        match b.get(i) {
            None => return (at + 1..i, false, i),
            Some(&c) if c == q => return (at + 1..i, false, i + 1),
            Some(b'\n' | b'\r' | b'\x0C') => return (at + 1..i, true, i),
            Some(b'\\') => {
                i = match b.get(i + 1) {
                    None => i + 1,
                    Some(b'\r') if b.get(i + 2) == Some(&b'\n') => i + 3,
                    Some(b'\n' | b'\r' | b'\x0C') => i + 2,
                    Some(_) => escaped(s, i + 1).1,
                }
            }
            Some(_) => i += 1,
        }
    }
}

/// The url token whose contents start at `from` (after `url(` and white
/// space): the URL's range unless it is a bad URL, and the index after the
/// token.
fn url_token(s: &str, from: usize) -> (Option<Range<usize>>, usize) {
    let b = s.as_bytes();
    let mut i = from;
    loop {
        match b.get(i) {
            None => return (Some(from..i), i),
            Some(b')') => return (Some(from..i), i + 1),
            Some(&c) if is_whitespace(c) => {
                let end = i;
                i = skip_whitespace(b, i);
                return match b.get(i) {
                    None => (Some(from..end), i),
                    Some(b')') => (Some(from..end), i + 1),
                    Some(_) => (None, bad_url_rest(s, i)),
                };
            }
            Some(b'\\') if valid_escape(b, i) => i = escaped(s, i + 1).1,
            Some(&c) if matches!(c, b'"' | b'\'' | b'(' | b'\\') || is_non_printable(c) => {
                return (None, bad_url_rest(s, i));
            }
            Some(_) => i += 1,
        }
    }
}

/// The index after the rest of a bad URL: its `)` or the end (escapes
/// skipped, so `\)` does not end it).
fn bad_url_rest(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    loop {
        match b.get(i) {
            None => return i,
            Some(b')') => return i + 1,
            Some(b'\\') if valid_escape(b, i) => i = escaped(s, i + 1).1,
            Some(_) => i += 1,
        }
    }
}

/// The name (an ident sequence) starting at `i`, escapes decoded, and the
/// index after it.
fn name(s: &str, mut i: usize) -> (Cow<'_, str>, usize) {
    let b = s.as_bytes();
    let start = i;
    let mut decoded: Option<String> = None;
    let mut copied = i;
    loop {
        match b.get(i) {
            Some(&c) if is_name_byte(c) => i += 1,
            Some(b'\\') if valid_escape(b, i) => {
                let d = decoded.get_or_insert_with(String::new);
                d.push_str(&s[copied..i]);
                let (c, next) = escaped(s, i + 1);
                d.push(c);
                i = next;
                copied = i;
            }
            _ => break,
        }
    }
    let name = match decoded {
        Some(mut d) => {
            d.push_str(&s[copied..i]);
            Cow::Owned(d)
        }
        None => Cow::Borrowed(&s[start..i]),
    };
    (name, i)
}

/// The index after the numeric token at `i` (a number, with its unit or
/// `%`): `1url(` is a dimension and a `(`, not a `url(`.
fn numeric(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    if matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    i = digits(i);
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        if b.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    if starts_ident(b, i) {
        name(s, i).1
    } else if b.get(i) == Some(&b'%') {
        i + 1
    } else {
        i
    }
}

/// Whether a number starts at `i`.
fn starts_number(b: &[u8], i: usize) -> bool {
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    match b.get(i) {
        Some(b'+' | b'-') => digit(i + 1) || (b.get(i + 1) == Some(&b'.') && digit(i + 2)),
        Some(b'.') => digit(i + 1),
        Some(c) => c.is_ascii_digit(),
        None => false,
    }
}

/// Whether an ident sequence starts at `i`.
fn starts_ident(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        Some(b'-') => {
            b.get(i + 1).is_some_and(|&c| is_name_start(c) || c == b'-') || valid_escape(b, i + 1)
        }
        Some(b'\\') => valid_escape(b, i),
        Some(&c) => is_name_start(c),
        None => false,
    }
}

/// Whether `b[i]` is a `\` that starts an escape (not followed by a
/// newline; a `\` at the end does).
fn valid_escape(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'\\') && !matches!(b.get(i + 1), Some(b'\n' | b'\r' | b'\x0C'))
}

/// A name-start code point's byte: a letter, `_`, any byte of a non-ASCII
/// character, or NUL (which the tokenizer reads as U+FFFD).
fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || c == 0
}

fn is_name_byte(c: u8) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == b'-'
}

/// CSS white space: space, tab and the newlines (LF, CR, FF).
fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// Control characters that make an unquoted URL bad (NUL is read as
/// U+FFFD, tab and the newlines are white space).
fn is_non_printable(c: u8) -> bool {
    matches!(c, 0x01..=0x08 | 0x0B | 0x0E..=0x1F | 0x7F)
}

fn skip_whitespace(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_whitespace(c)) {
        i += 1;
    }
    i
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)
        .and_then(|rest| memchr::memmem::find(rest, needle))
        .map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoded URLs of `css`.
    fn found(css: &str) -> Vec<String> {
        urls(css).into_iter().map(|u| u.value).collect()
    }

    /// The source text of each URL of `css`.
    fn spans(css: &str) -> Vec<&str> {
        urls(css).into_iter().map(|u| &css[u.span]).collect()
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
        // A comment between `@import` and its string changes nothing.
        assert_eq!(found("@import/**/'f.css';"), ["f.css"]);
        // A type() inside image-set() names a MIME type, not a URL.
        assert_eq!(
            found("x{b:image-set('g.avif' type('image/avif'))}"),
            ["g.avif"]
        );
    }

    #[test]
    fn comments_and_strings_are_not_urls() {
        assert_eq!(
            found("/* url(https://a.example/x) */ a{content:'url(b)'}"),
            Vec::<String>::new()
        );
        assert_eq!(found("a{b:url(unterminated"), ["unterminated"]);
        assert_eq!(found("a{b:url('unterminated"), ["unterminated"]);
        assert_eq!(found("'unterminated"), Vec::<String>::new());
        assert_eq!(found("a{b:url() url('')}"), Vec::<String>::new());
    }

    #[test]
    fn hex_escapes() {
        // Without and with the white space that ends one; uppercase.
        assert_eq!(
            found(r#"a{b:url("https://www\2e facebook\2E com/tr")}"#),
            ["https://www.facebook.com/tr"]
        );
        assert_eq!(found(r#"a{b:url("a\2e\2e/b")}"#), ["a../b"]);
        // Only one white space is part of the escape.
        assert_eq!(found("a{b:url('x\\2e  y')}"), ["x. y"]);
        // CRLF ends it as one white space; a lone CR, LF, FF or a tab too.
        assert_eq!(found("a{b:url('x\\2e\r\ny')}"), ["x.y"]);
        for ws in ["\r", "\n", "\x0C", "\t"] {
            assert_eq!(
                found(&format!("a{{b:url('x\\2e{ws}y')}}")),
                ["x.y"],
                "{ws:?}"
            );
        }
        // Six hex digits at most: the seventh is text.
        assert_eq!(found(r"a{b:url('\00002e1')}"), [".1"]);
        assert_eq!(found(r"a{b:url('\0000002e')}"), ["\u{FFFD}2e"]);
        // An escape takes every hex digit it can: `\2eexample` is U+02EE
        // and "xample" (Chromium asks for the host `p19\u{2EE}xample`).
        assert_eq!(found(r"a{b:url('\2eexample')}"), ["\u{2EE}xample"]);
        // Non-ASCII code points.
        assert_eq!(found(r"a{b:url('\E9t\1F600 ')}"), ["ét😀"]);
    }

    #[test]
    fn invalid_code_points_are_replaced() {
        assert_eq!(
            found(r"a{b:url('\0 \D800 \DFFF \110000 \FFFFFF \10FFFF ')}"),
            ["\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{10FFFF}"]
        );
        // A raw NUL too (input preprocessing).
        assert_eq!(found("a{b:url(x\0y)}"), ["x\u{FFFD}y"]);
    }

    #[test]
    fn other_escapes_are_the_character() {
        assert_eq!(
            found(r"a{b:url('https:\/\/www\.facebook\.com/tr')}"),
            ["https://www.facebook.com/tr"]
        );
        assert_eq!(found(r"a{b:url('\g\é\)')}"), ["gé)"]);
    }

    #[test]
    fn line_continuations_in_strings() {
        assert_eq!(
            found("a{b:url('https://www.face\\\nbook.com/tr')}"),
            ["https://www.facebook.com/tr"]
        );
        assert_eq!(
            found("a{b:url('x\\\r\ny')} c{d:url('p\\\rq\\\x0Cr')}"),
            ["xy", "pqr"]
        );
        // A raw newline ends the string as a bad string: no URL.
        assert_eq!(
            found("a{b:url('https://x.example/\n')}"),
            Vec::<String>::new()
        );
        // A `\` at the end of the input stands for nothing in a string.
        assert_eq!(found("a{b:url('x\\"), ["x"]);
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        assert_eq!(found(r#"a{b:url("a\"b")}"#), ["a\"b"]);
        assert_eq!(found(r"@import 'x\'y';"), ["x'y"]);
        // The string goes on past the escaped quote, so what follows is
        // still inside it.
        assert_eq!(
            found(r"a{content:'\' url(https://a.example/x)'}"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn escapes_in_unquoted_urls() {
        assert_eq!(
            found(r"a{b:url(https://www\2e facebook\2e com/tr)}"),
            ["https://www.facebook.com/tr"]
        );
        // An escaped `)`, space or quote is part of the URL.
        assert_eq!(found(r"a{b:url(x\29 \)\ \')}"), ["x)) '"]);
        // `\` + newline is a bad URL, fetched by no browser.
        assert_eq!(
            found("a{b:url(https://www.face\\\nbook.com/tr)}"),
            Vec::<String>::new()
        );
        // A final `\` is U+FFFD.
        assert_eq!(found("a{b:url(x\\"), ["x\u{FFFD}"]);
    }

    #[test]
    fn bad_urls_are_not_fetched() {
        for css in [
            "a{b:url(https://a.example/x y)}",
            "a{b:url(https://a.example/x\"y)}",
            "a{b:url(https://a.example/x(y)}",
            "a{b:url(https://a.example/\x01)}",
            "a{b:url(/* c */https://a.example/x)}",
        ] {
            assert_eq!(found(css), Vec::<String>::new(), "{css:?}");
        }
        // The bad URL ends at its `)`, an escaped one skipped; what
        // follows is read again.
        assert_eq!(found(r"a{b:url(x y\) url(z)} c{d:url(w)}"), ["w"]);
    }

    #[test]
    fn escapes_in_names() {
        assert_eq!(
            found(r"a{b:u\72l(https://a.example/x)}"),
            ["https://a.example/x"]
        );
        assert_eq!(
            found(r"a{b:\75 RL('https://a.example/y')}"),
            ["https://a.example/y"]
        );
        assert_eq!(
            found(r"@\69mport 'https://a.example/z.css';"),
            ["https://a.example/z.css"]
        );
        assert_eq!(found(r"@\49 MPORT url(w.css);"), ["w.css"]);
        assert_eq!(found(r"a{b:image-s\65t('v.png' 1x)}"), ["v.png"]);
    }

    #[test]
    fn near_misses() {
        for css in [
            // An escape in a comment is not decoded and not a URL.
            r"/* url(https://www\2e facebook\2e com/tr) */",
            r"a{content:'https://www\2e facebook\2e com/tr'}",
            // Not the url function: a dimension, a hash, a longer name,
            // an escape that is not `r`, a string after @importx.
            "a{b:1url(https://a.example/x)}",
            "a{b:#url(https://a.example/x)}",
            "a{b:myurl(https://a.example/x)}",
            r"a{b:u\73l(https://a.example/x)}",
            "@importx 'https://a.example/x';",
            // `\` + newline is not an escape: `u\` then `rl(` on its own.
            "a{b:u\\\nrl(https://a.example/x)}",
            // A string that is not right after @import.
            "@import screen 'x.css';",
        ] {
            assert_eq!(found(css), Vec::<String>::new(), "{css:?}");
        }
    }

    #[test]
    fn spans_are_the_source_text() {
        let css = r#"a{b:url( "https://www\2e facebook\2e com/tr" ) c:url( x\2e y )}"#;
        assert_eq!(
            spans(css),
            [r"https://www\2e facebook\2e com/tr", r"x\2e y"]
        );
        // The white space that ends a hex escape belongs to the URL.
        assert_eq!(spans(r"a{b:url(x\2e )}"), [r"x\2e "]);
        let u = &urls(r"a{b:url('\2e x')}")[0];
        assert_eq!(u.value, ".x");
        assert_eq!(u.map, [9, 13, 14]);
    }

    #[test]
    fn unescape_maps_every_byte() {
        let (text, map) = unescape_mapped("é\\E9 \\\nx\\", true);
        assert_eq!(text, "ééx");
        assert_eq!(map, [0, 0, 2, 2, 8, 10]);
        let (text, map) = unescape_mapped("x\\", false);
        assert_eq!(text, "x\u{FFFD}");
        assert_eq!(map, [0, 1, 1, 1, 2]);
    }
}
