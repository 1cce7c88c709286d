//! Whether a `tracklint-ignore` marker sits in a real comment of its
//! file's language: an HTML comment in markup, a `//` or `/* */` comment in
//! JavaScript (a `.js` file or a `<script>` element), or a template comment
//! in a template. The marker written in text, an attribute value, a string,
//! a regular expression or a URL is not a directive.
//!
//! The scanners find markers by their comment opener alone
//! ([`crate::scan::directive`]); this is the lexical check that the opener
//! really opens a comment there. It is deliberately small: a tokenizer for
//! the HTML states that matter (text, tags and their quoted attribute
//! values, comments, raw text elements) and for JavaScript's strings,
//! template literals, regular expressions and comments. Where it cannot
//! tell, it says "not a comment": the finding is then reported, never
//! hidden.
//!
//! It stays one file past 500 lines: the three comment syntaxes share one
//! tokenizer state, and half of it is tests of the cases it must refuse.

use std::io::Read;
use std::path::Path;

use crate::input::read::{self, FileKind};
use crate::scan::directive::Directive;
use crate::scan::jslex::JsLexer;
use crate::scan::template;

/// Keeps the directives of the file whose raw bytes are `bytes` (at `path`,
/// scanned as `kind` or by its name and content) whose marker is in a real
/// comment. `source` says the file is under `[sources]` (a template).
pub fn keep_real(
    directives: Vec<Directive>,
    bytes: &[u8],
    path: &Path,
    kind: Option<FileKind>,
    source: bool,
) -> Vec<Directive> {
    if directives.is_empty() {
        return directives;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let kind = kind.unwrap_or_else(|| read::kind_for_explicit(path, head));
    // The scan decoded the file already, so this cannot fail; if it did,
    // no directive would count (fail closed).
    let Ok(decoding) = read::detect(head, kind) else {
        return Vec::new();
    };
    let mut text = Vec::with_capacity(bytes.len());
    if crate::scan::stream(bytes, decoding)
        .read_to_end(&mut text)
        .is_err()
    {
        return Vec::new();
    }
    let template = kind == FileKind::Html && (read::is_template(path) || source);
    let starts: Vec<u64> = directives.iter().map(|d| d.raw.start).collect();
    let real = in_comments(&text, kind, template, &starts);
    directives
        .into_iter()
        .zip(real)
        .filter_map(|(d, real)| real.then_some(d))
        .collect()
}

/// Openers of template comments (see `scan::directive`), counted in a
/// template wherever they are: the template engine removes them.
const TEMPLATE_OPENERS: &[&[u8]] = &[b"{{/*", b"{{- /*", b"{{!", b"<%#", b"{#", b"{%"];

const MARKER: &[u8] = b"tracklint-ignore";

/// For each directive starting at byte `start` of `text` (the decoded
/// stream the scanners read), whether its marker is in a real comment.
pub fn in_comments(text: &[u8], kind: FileKind, template: bool, starts: &[u64]) -> Vec<bool> {
    let markers: Vec<Option<usize>> = starts
        .iter()
        .map(|&s| {
            let s = usize::try_from(s).ok()?;
            let window = text.get(s..text.len().min(s + 128))?;
            memchr::memmem::find(window, MARKER).map(|i| s + i)
        })
        .collect();
    let masked;
    let lexed: &[u8] = if template {
        // Expressions are opaque: blank them, keeping line breaks.
        let mut t = text.to_vec();
        for r in template::expressions(text) {
            for b in &mut t[r] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        masked = t;
        &masked
    } else {
        text
    };
    let mut wanted: Vec<usize> = markers.iter().flatten().copied().collect();
    wanted.sort_unstable();
    let comment_at = lex(lexed, kind, &wanted);
    starts
        .iter()
        .zip(&markers)
        .map(|(&s, m)| {
            let Some(m) = m else { return false };
            let opener = &text[s as usize..];
            if template && TEMPLATE_OPENERS.iter().any(|o| opener.starts_with(o)) {
                return true;
            }
            comment_at.binary_search(m).is_ok()
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Html {
    Data,
    TagOpen,
    /// Inside a tag: `end` for `</…>`, the name so far.
    Tag {
        end: bool,
    },
    Dq,
    Sq,
    Bang,
    BangDash,
    Comment,
    Bogus,
    /// Inside `<script>`: JavaScript until `</script`.
    Script,
    /// Inside `<style>`, `<textarea>`, `<title>`: text until the end tag.
    RawText,
}

/// The positions among `wanted` (sorted) whose byte is inside a comment.
fn lex(text: &[u8], kind: FileKind, wanted: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut next = wanted.iter().copied().peekable();
    let mut html = if kind == FileKind::Js {
        Html::Script
    } else {
        Html::Data
    };
    let mut js = JsLexer::default();
    let mut name: Vec<u8> = Vec::new();
    let mut raw_end: &[u8] = b"";
    for (i, &b) in text.iter().enumerate() {
        let in_comment = match html {
            Html::Data => {
                if b == b'<' {
                    html = Html::TagOpen;
                }
                false
            }
            Html::TagOpen => {
                html = match b {
                    b'!' => Html::Bang,
                    b'/' => {
                        name.clear();
                        Html::Tag { end: true }
                    }
                    b'?' => Html::Bogus,
                    b'<' => Html::TagOpen,
                    c if c.is_ascii_alphabetic() => {
                        name.clear();
                        name.push(c.to_ascii_lowercase());
                        Html::Tag { end: false }
                    }
                    _ => Html::Data,
                };
                false
            }
            Html::Tag { end } => {
                match b {
                    b'"' => html = Html::Dq,
                    b'\'' => html = Html::Sq,
                    b'>' => {
                        html = if end {
                            Html::Data
                        } else {
                            let tag = name.strip_suffix(b" ").unwrap_or(&name);
                            match tag {
                                b"script" => {
                                    js = JsLexer::default();
                                    Html::Script
                                }
                                b"style" | b"textarea" | b"title" | b"xmp" => {
                                    raw_end = match tag {
                                        b"style" => b"</style",
                                        b"textarea" => b"</textarea",
                                        b"title" => b"</title",
                                        _ => b"</xmp",
                                    };
                                    Html::RawText
                                }
                                _ => Html::Data,
                            }
                        };
                    }
                    c if c.is_ascii_alphanumeric() && name.len() < 16 && !name.contains(&b' ') => {
                        name.push(c.to_ascii_lowercase());
                    }
                    _ if !name.contains(&b' ') => name.push(b' '),
                    _ => {}
                }
                false
            }
            Html::Dq | Html::Sq => {
                let close = if html == Html::Dq { b'"' } else { b'\'' };
                if b == close {
                    html = Html::Tag { end: false };
                }
                false
            }
            Html::Bang => {
                html = if b == b'-' {
                    Html::BangDash
                } else {
                    Html::Bogus
                };
                false
            }
            Html::BangDash => {
                html = if b == b'-' {
                    Html::Comment
                } else {
                    Html::Bogus
                };
                html == Html::Comment
            }
            Html::Comment => {
                if b == b'>' && i >= 2 && &text[i - 2..i] == b"--" {
                    html = Html::Data;
                }
                true
            }
            Html::Bogus => {
                if b == b'>' {
                    html = Html::Data;
                }
                false
            }
            Html::Script => {
                if kind == FileKind::Html && ends_with_ci(&text[..=i], b"</script") {
                    name.clear();
                    name.push(b' ');
                    html = Html::Tag { end: true };
                    false
                } else {
                    js.feed(b)
                }
            }
            Html::RawText => {
                if ends_with_ci(&text[..=i], raw_end) {
                    name.clear();
                    name.push(b' ');
                    html = Html::Tag { end: true };
                }
                false
            }
        };
        if next.peek() == Some(&i) {
            while next.peek() == Some(&i) {
                next.next();
            }
            if in_comment {
                out.push(i);
            }
        }
    }
    out
}

fn ends_with_ci(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, kind: FileKind, template: bool) -> Vec<bool> {
        let starts: Vec<u64> = text
            .match_indices(
                MARKER
                    .iter()
                    .map(|&b| b as char)
                    .collect::<String>()
                    .as_str(),
            )
            .map(|(i, _)| {
                // The opener just before: back over spaces and the opener.
                let before = &text[..i];
                let t = before.trim_end();
                let opener = ["<!--", "//", "/*", "{#", "{{!", "<%#"]
                    .iter()
                    .find(|o| t.ends_with(*o))
                    .map_or(0, |o| o.len());
                (t.len() - opener) as u64
            })
            .collect();
        in_comments(text.as_bytes(), kind, template, &starts)
    }

    #[test]
    fn html_comments_count_and_nothing_else_does() {
        let t = r#"<!-- tracklint-ignore a: x -->
<div title="<!-- tracklint-ignore a: x -->" data-x='// tracklint-ignore a: y'>
<p>see // tracklint-ignore a: z and /* tracklint-ignore a: w */</p>
<a href="https://e.com/?q=<!-- tracklint-ignore a: u -->">l</a>
<script>
var s = "<!-- tracklint-ignore a: s -->"; var t = '// tracklint-ignore a: t';
var u = `/* tracklint-ignore a: u */ ${ "x" }`; var r = /\/\/ tracklint-ignore a: r/;
x(); // tracklint-ignore a: real
/* tracklint-ignore a: real */
</script>
<textarea>// tracklint-ignore a: no</textarea>
<!-- tracklint-ignore a: real -->"#;
        assert_eq!(
            check(t, FileKind::Html, false),
            [
                true, false, false, false, false, false, false, false, false, false, true, true,
                false, true
            ]
        );
    }

    #[test]
    fn js_files_and_templates() {
        let t = "a = b / c; // tracklint-ignore a: real\nvar s = '/* tracklint-ignore a: no */';\nreturn /* tracklint-ignore a: real */ 1;\n";
        assert_eq!(check(t, FileKind::Js, false), [true, false, true]);
        let t = "<p title=\"{# tracklint-ignore a: tpl #}\">{{ \"<!-- tracklint-ignore a: expr -->\" }}</p>\n<!-- tracklint-ignore a: real -->\n";
        assert_eq!(check(t, FileKind::Html, true), [true, false, true]);
        // In a plain HTML file `{# … #}` is text.
        assert_eq!(check(t, FileKind::Html, false), [false, true, true]);
    }
}
