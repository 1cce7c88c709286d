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

/// Keeps the directives of the file whose raw bytes `raw` streams (at
/// `path`, scanned as `kind` or by its name and content) whose marker is
/// in a real comment. `source` says the file is under `[sources]` (a
/// template). The text is streamed, and read only as far as the last
/// directive; a template is read whole (its expressions are masked over
/// the whole text).
pub fn keep_real(
    directives: Vec<Directive>,
    raw: impl Read,
    path: &Path,
    kind: Option<FileKind>,
    source: bool,
) -> Vec<Directive> {
    if directives.is_empty() {
        return directives;
    }
    // The scan read the file already, so this cannot fail; if it did, no
    // directive would count (fail closed).
    let Some((text, kind, inner)) = crate::scan::open_text(raw, path, kind) else {
        return Vec::new();
    };
    let template = kind == FileKind::Html && (read::is_template(&inner) || source);
    let starts: Vec<u64> = directives.iter().map(|d| d.raw.start).collect();
    let Ok(real) = in_comments_read(text, kind, template, &starts) else {
        return Vec::new();
    };
    directives
        .into_iter()
        .zip(real)
        .filter_map(|(d, real)| real.then_some(d))
        .collect()
}

/// How far past a directive's start its marker may be.
const MARKER_REACH: usize = 128;

/// Openers of template comments (see `scan::directive`), counted in a
/// template wherever they are: the template engine removes them.
const TEMPLATE_OPENERS: &[&[u8]] = &[b"{{/*", b"{{- /*", b"{{!", b"<%#", b"{#", b"{%"];

const MARKER: &[u8] = b"tracklint-ignore";

/// For each directive starting at byte `start` of `text` (the decoded
/// stream the scanners read), whether its marker is in a real comment.
pub fn in_comments(text: &[u8], kind: FileKind, template: bool, starts: &[u64]) -> Vec<bool> {
    in_comments_read(text, kind, template, starts).expect("reading a slice cannot fail")
}

/// [`in_comments`] over a stream: only the bytes from each directive's
/// start to [`MARKER_REACH`] past it are kept, and reading stops after the
/// last one. A template is read whole: its expressions are blanked
/// (keeping offsets and line breaks) before it is lexed, and a directive
/// written with a template comment's opener always counts.
pub fn in_comments_read(
    mut text: impl Read,
    kind: FileKind,
    template: bool,
    starts: &[u64],
) -> std::io::Result<Vec<bool>> {
    if !template {
        let markers = marker_comments(text, kind, starts, None)?;
        return Ok(markers.into_iter().map(|m| m == Some(true)).collect());
    }
    let mut t = Vec::new();
    text.read_to_end(&mut t)?;
    let mut masked = t.clone();
    for r in template::expressions(&t) {
        for b in &mut masked[r] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    let markers = marker_comments(&masked[..], kind, starts, Some(&t))?;
    Ok(starts
        .iter()
        .zip(markers)
        .map(|(&s, m)| {
            let opener = t.get(s as usize..).unwrap_or_default();
            m.is_some() && TEMPLATE_OPENERS.iter().any(|o| opener.starts_with(o)) || m == Some(true)
        })
        .collect())
}

/// For each directive start, whether the first marker within
/// [`MARKER_REACH`] of it is inside a comment of `lexed` (`None`: no
/// marker). The marker is looked for in `original` when given (a
/// template's text before its expressions were blanked), else in `lexed`.
fn marker_comments(
    mut lexed: impl Read,
    kind: FileKind,
    starts: &[u64],
    original: Option<&[u8]>,
) -> std::io::Result<Vec<Option<bool>>> {
    struct Window {
        directive: usize,
        start: u64,
        bytes: Vec<u8>,
        comment: Vec<bool>,
    }
    let decide = |w: &Window| {
        let bytes = original.map_or(&w.bytes[..], |o| {
            let s = w.start as usize;
            &o[s..s + w.bytes.len()]
        });
        memchr::memmem::find(bytes, MARKER).map(|m| w.comment[m])
    };
    let mut order: Vec<usize> = (0..starts.len()).collect();
    order.sort_by_key(|&i| starts[i]);
    let mut next = 0;
    let mut open: Vec<Window> = Vec::new();
    let mut out = vec![None; starts.len()];
    let mut lexer = Lexer::new(kind);
    let mut pos = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    while next < order.len() || !open.is_empty() {
        let n = match lexed.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for &b in &buf[..n] {
            let comment = lexer.feed(b);
            while next < order.len() && starts[order[next]] <= pos {
                open.push(Window {
                    directive: order[next],
                    start: pos,
                    bytes: Vec::with_capacity(MARKER_REACH),
                    comment: Vec::with_capacity(MARKER_REACH),
                });
                next += 1;
            }
            for w in &mut open {
                w.bytes.push(b);
                w.comment.push(comment);
            }
            open.retain(|w| {
                let full = w.bytes.len() >= MARKER_REACH;
                if full {
                    out[w.directive] = decide(w);
                }
                !full
            });
            pos += 1;
        }
    }
    for w in &open {
        out[w.directive] = decide(w);
    }
    Ok(out)
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

/// Markup and the JavaScript in it, a byte at a time.
struct Lexer {
    kind: FileKind,
    html: Html,
    js: JsLexer,
    name: Vec<u8>,
    raw_end: &'static [u8],
    /// The last bytes read (the current one last), for end tags and `--`.
    recent: Vec<u8>,
}

impl Lexer {
    fn new(kind: FileKind) -> Lexer {
        Lexer {
            kind,
            html: if kind == FileKind::Js {
                Html::Script
            } else {
                Html::Data
            },
            js: JsLexer::default(),
            name: Vec::new(),
            raw_end: b"",
            recent: Vec::with_capacity(32),
        }
    }

    /// Consumes `b`; whether it is part of a comment.
    fn feed(&mut self, b: u8) -> bool {
        if self.recent.len() == 16 {
            self.recent.drain(..8);
        }
        self.recent.push(b);
        let kind = self.kind;
        let mut html = self.html;
        let mut raw_end = self.raw_end;
        let (js, name, recent) = (&mut self.js, &mut self.name, &self.recent);
        let n = recent.len();
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
                            let tag = name.strip_suffix(b" ").unwrap_or(name);
                            match tag {
                                b"script" => {
                                    *js = JsLexer::default();
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
                if b == b'>' && n >= 3 && &recent[n - 3..n - 1] == b"--" {
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
                if kind == FileKind::Html && ends_with_ci(recent, b"</script") {
                    name.clear();
                    name.push(b' ');
                    html = Html::Tag { end: true };
                    false
                } else {
                    js.feed(b)
                }
            }
            Html::RawText => {
                if ends_with_ci(recent, raw_end) {
                    name.clear();
                    name.push(b' ');
                    html = Html::Tag { end: true };
                }
                false
            }
        };
        self.html = html;
        self.raw_end = raw_end;
        in_comment
    }
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
        let whole = in_comments(text.as_bytes(), kind, template, &starts);
        // Streamed, in reads of 3 bytes: the same answers.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(3).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let streamed = in_comments_read(Trickle(text.as_bytes()), kind, template, &starts).unwrap();
        assert_eq!(whole, streamed, "{text}");
        whole
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
