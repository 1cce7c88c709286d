//! Inline suppression comments, found while a file streams past the
//! scanner: `<!-- tracklint-ignore <rule-or-vendor>: <reason> -->` in HTML
//! and templates, `// tracklint-ignore …` or `/* tracklint-ignore … */` in
//! code, and template comments. [`DirectiveFinder`] sees every byte
//! through [`Tee`], so a file without findings still has its suppressions
//! checked. What a directive does to findings is policy
//! ([`crate::policy::suppress`]).

use std::io::Read;

use crate::finding::Position;
use crate::finding::{Finding, RawFinding};
use crate::rules::Rule;

const MARKER: &[u8] = b"tracklint-ignore";
/// Bytes kept before a marker: enough to see the comment opener and
/// whether code precedes it on the line.
const BEFORE: usize = 64;
/// Bytes read after a marker: the rule, the reason and the comment's end.
const AFTER: usize = 512;

/// A suppression as found in the stream, before it is located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDirective {
    /// Byte range of the whole comment (or the part of it read).
    pub start: u64,
    /// End of that range.
    pub end: u64,
    /// Rule ids or vendor slugs named.
    pub targets: Vec<String>,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Code precedes the comment on its line: it applies to that line.
    pub trailing: bool,
}

/// Watches a stream for `tracklint-ignore` comments.
#[derive(Default)]
pub struct DirectiveFinder {
    /// The last bytes seen, for the text before a marker.
    history: Vec<u8>,
    /// Stream offset of `history[0]`.
    history_base: u64,
    /// Markers whose following text is still arriving: (marker offset,
    /// bytes before it on its line, bytes after it so far).
    pending: Vec<(u64, Vec<u8>, Vec<u8>)>,
    /// Offset of the next byte.
    pos: u64,
    found: Vec<RawDirective>,
}

impl DirectiveFinder {
    /// Feeds the next bytes of the stream.
    pub fn feed(&mut self, chunk: &[u8]) {
        for (_, _, after) in &mut self.pending {
            let take = (AFTER - after.len()).min(chunk.len());
            after.extend_from_slice(&chunk[..take]);
        }
        self.flush_pending(false);
        // Search the tail of the history plus the chunk, so a marker cut
        // in two is found.
        let keep = MARKER.len() - 1;
        let tail_start = self.history.len().saturating_sub(keep);
        let mut joined = self.history[tail_start..].to_vec();
        let joined_base = self.history_base + tail_start as u64;
        joined.extend_from_slice(chunk);
        for i in memchr::memmem::find_iter(&joined, MARKER) {
            let at = joined_base + i as u64;
            let mut before = self.bytes_before(at, &joined, joined_base);
            if let Some(nl) = before.iter().rposition(|&b| b == b'\n' || b == b'\r') {
                before.drain(..=nl);
            }
            let after_start = i + MARKER.len();
            let after = joined[after_start..joined.len().min(after_start + AFTER)].to_vec();
            self.pending.push((at, before, after));
        }
        self.flush_pending(false);
        self.history.extend_from_slice(chunk);
        self.pos += chunk.len() as u64;
        if self.history.len() > 4 * BEFORE {
            let drop = self.history.len() - BEFORE;
            self.history.drain(..drop);
            self.history_base += drop as u64;
        }
    }

    /// Up to [`BEFORE`] bytes before stream offset `at`.
    fn bytes_before(&self, at: u64, joined: &[u8], joined_base: u64) -> Vec<u8> {
        let from = at.saturating_sub(BEFORE as u64);
        let mut out = Vec::new();
        if from < joined_base {
            let h0 = from.max(self.history_base);
            let start = (h0 - self.history_base) as usize;
            let end = (joined_base - self.history_base) as usize;
            out.extend_from_slice(&self.history[start..end.min(self.history.len())]);
        }
        let j0 = from.max(joined_base);
        out.extend_from_slice(&joined[(j0 - joined_base) as usize..(at - joined_base) as usize]);
        out
    }

    /// Parses markers whose text is complete (or all markers at the end).
    fn flush_pending(&mut self, at_end: bool) {
        let mut i = 0;
        while i < self.pending.len() {
            let (_, _, after) = &self.pending[i];
            let complete = at_end || after.len() >= AFTER || after.contains(&b'\n');
            if complete {
                let (at, before, after) = self.pending.swap_remove(i);
                if let Some(d) = parse(at, &before, &after) {
                    self.found.push(d);
                }
            } else {
                i += 1;
            }
        }
    }

    /// The directives found, in stream order.
    pub fn finish(mut self) -> Vec<RawDirective> {
        self.flush_pending(true);
        self.found.sort_by_key(|d| d.start);
        self.found
    }
}

/// Comment openers and closers, in the order they are tried: a longer
/// opener before any it ends with. Template comments never reach the built
/// page, so a suppression in a template is written in one: Go templates,
/// Handlebars, ERB/EJS, Jinja/Twig/Nunjucks. Liquid's `{% comment %}` tag,
/// whose opener varies and ends like no other, is read by
/// [`liquid_comment_tag`] when none of these ends the text.
const COMMENTS: &[(&[u8], &[u8])] = &[
    (b"{{/*", b"*/"),
    (b"{{- /*", b"*/"),
    (b"{{!--", b"--}}"),
    (b"{{!", b"}}"),
    (b"<%#", b"%>"),
    (b"{#", b"#}"),
    (b"<!--", b"-->"),
    (b"/*", b"*/"),
    (b"//", b"\n"),
];

/// Parses one marker at stream offset `at`, with the bytes before it on its
/// line and the bytes after it. `None` when it is not in a comment (prose
/// that mentions the marker).
fn parse(at: u64, before: &[u8], after: &[u8]) -> Option<RawDirective> {
    let trimmed = trim_end(before);
    let (opener, close): (&[u8], &[u8]) = match COMMENTS.iter().find(|(o, _)| trimmed.ends_with(o))
    {
        Some(&pair) => pair,
        None => (liquid_comment_tag(trimmed)?, b"{%"),
    };
    let code_before = &trimmed[..trimmed.len() - opener.len()];
    // A full history window with no line break means a long line: code.
    let trailing = code_before.iter().any(|b| !b.is_ascii_whitespace()) || before.len() >= BEFORE;
    let start = at - (before.len() - code_before.len()) as u64;
    // The directive's text ends at the comment's close or the line's end.
    let line_end = after
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(after.len());
    let body_end = memchr::memmem::find(&after[..line_end], close).unwrap_or(line_end);
    let end_of_comment = if body_end < line_end {
        body_end + close.len()
    } else {
        line_end
    };
    let end = at + (MARKER.len() + end_of_comment) as u64;
    let body = &after[..body_end];
    // `tracklint-ignores` or `tracklint-ignore-next` are other words.
    if body
        .first()
        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b':')
    {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let (targets, reason) = match text.split_once(':') {
        Some((t, r)) => (t, Some(r.trim())),
        None => (text.as_ref(), None),
    };
    let targets = targets
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    Some(RawDirective {
        start,
        end,
        targets,
        reason: reason.filter(|r| !r.is_empty()).map(str::to_string),
        trailing,
    })
}

/// The `{% comment %}` tag (with `-` trim markers or not) that `before`
/// ends with, if any.
fn liquid_comment_tag(before: &[u8]) -> Option<&[u8]> {
    let open = memchr::memmem::rfind(before, b"{%")?;
    let tag = &before[open..];
    let inner = tag.strip_suffix(b"%}")?.get(2..)?;
    let inner = inner.strip_prefix(b"-").unwrap_or(inner);
    let inner = inner.strip_suffix(b"-").unwrap_or(inner);
    (inner.trim_ascii() == b"comment").then_some(tag)
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    &b[..b.len() - n]
}

/// A reader that shows every byte it yields to a [`DirectiveFinder`].
pub struct Tee<'a, R> {
    /// The stream.
    pub inner: R,
    /// Who watches it.
    pub finder: &'a mut DirectiveFinder,
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.finder.feed(&buf[..n]);
        Ok(n)
    }
}

/// A directive located in its file.
#[derive(Debug)]
pub struct Directive {
    /// The parsed directive.
    pub raw: RawDirective,
    /// Where it starts.
    pub start: Position,
    /// The located finding to report if it is malformed or unused.
    pub as_finding: Finding,
}

/// A raw finding standing for a directive, to be located with the rest.
pub fn placeholder(d: &RawDirective) -> RawFinding {
    RawFinding {
        rule: Rule::UnusedSuppression,
        vendor: None,
        owner: None,
        start: d.start,
        end: d.end,
        message: String::new(),
        url: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, chunk: usize) -> Vec<RawDirective> {
        let mut f = DirectiveFinder::default();
        for c in text.as_bytes().chunks(chunk) {
            f.feed(c);
        }
        f.finish()
    }

    #[test]
    fn parses_each_comment_style() {
        let t = "<!-- tracklint-ignore meta-pixel: proxied server-side -->\n<script>\nx(); // tracklint-ignore tracker-snippet, hotjar: legacy\n/* tracklint-ignore */\n</script>\n<p>see tracklint-ignore docs</p>";
        for chunk in [1, 3, 7, 1000] {
            let d = find(t, chunk);
            assert_eq!(d.len(), 3, "chunk {chunk}: {d:?}");
            assert_eq!(d[0].targets, ["meta-pixel"]);
            assert_eq!(d[0].reason.as_deref(), Some("proxied server-side"));
            assert!(!d[0].trailing);
            assert_eq!((d[0].start, d[0].end), (0, 57));
            assert_eq!(d[1].targets, ["tracker-snippet", "hotjar"]);
            assert!(d[1].trailing);
            assert_eq!(d[2].targets, Vec::<String>::new());
            assert_eq!(d[2].reason, None);
        }
    }

    #[test]
    fn parses_template_comments() {
        let t = "{# tracklint-ignore meta-pixel: a #}\n\
                 {{!-- tracklint-ignore hotjar: b --}}\n\
                 {{! tracklint-ignore segment: c }}\n\
                 <%# tracklint-ignore bing-uet: d %>\n\
                 {%- comment -%} tracklint-ignore google-analytics: e {%- endcomment -%}\n\
                 {% comment %}tracklint-ignore google-tag-manager: f{% endcomment %}\n\
                 {{/* tracklint-ignore plausible: g */}}\n\
                 {{- /* tracklint-ignore hubspot: h */ -}}\n\
                 {% if x %} tracklint-ignore no: comment {% endif %}\n";
        for chunk in [1, 5, 1000] {
            let d = find(t, chunk);
            let got: Vec<(&str, &str)> = d
                .iter()
                .map(|d| (d.targets[0].as_str(), d.reason.as_deref().unwrap()))
                .collect();
            assert_eq!(
                got,
                [
                    ("meta-pixel", "a"),
                    ("hotjar", "b"),
                    ("segment", "c"),
                    ("bing-uet", "d"),
                    ("google-analytics", "e"),
                    ("google-tag-manager", "f"),
                    ("plausible", "g"),
                    ("hubspot", "h"),
                ],
                "chunk {chunk}"
            );
            assert!(d.iter().all(|d| !d.trailing), "{d:?}");
            // The directive spans the whole comment.
            assert_eq!((d[0].start, d[0].end), (0, 36));
        }
    }
}
