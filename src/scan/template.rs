//! Template syntax: where a template's expressions are, so that scanning
//! treats them as opaque and origin search treats them as wildcards.
//!
//! Recognised, in every template file whatever its language (the syntaxes
//! do not collide): `{{ … }}` and `{{{ … }}}` (Liquid, Jinja/Nunjucks,
//! Handlebars/Mustache, Twig, Go templates, Vue), `{% … %}` and `{# … #}`
//! (Liquid, Jinja, Twig), `<% … %>` in all its forms (ERB, EJS), `<? … ?>`
//! (PHP), `${ … }` (JavaScript template literals in script blocks, EJS),
//! and front matter (`---` … `---` at the very start: Jekyll, Eleventy,
//! Hugo, Astro).
//!
//! An opener without its closer within [`MAX_EXPRESSION`] bytes is left as
//! text: a stray `{{` in prose must not hide the rest of the file.
//!
//! [`Masked`] blanks one side of the split while streaming: the markup (for
//! the HTML scanner, so `src="https://{{ host }}/x.js"` has no host) or the
//! expressions (for the code scanner, so a tracker URL written inside
//! `<?php echo "…" ?>` is still found). Blanking keeps every byte's offset
//! and every line break, so findings are located in the original file.

use std::io::{self, Read};
use std::ops::Range;

/// The longest expression recognised, in bytes; also the lookahead
/// [`Masked`] keeps.
pub const MAX_EXPRESSION: usize = 64 * 1024;

/// The longest `${ … }` recognised, and its deepest nesting of braces:
/// substitutions in template literals are short, and brace counting
/// cannot be cached like a closer search, so each opener may cost this
/// much.
const MAX_SUBSTITUTION: usize = 256;
const MAX_DEPTH: usize = 8;

/// Expression delimiters, longest opener first.
const PAIRS: &[(&[u8], &[u8])] = &[
    (b"{{{", b"}}}"),
    (b"{{", b"}}"),
    (b"{%", b"%}"),
    (b"{#", b"#}"),
    (b"<%", b"%>"),
    (b"<?", b"?>"),
];

/// What an expression search at one position found.
enum At {
    /// No expression starts here.
    No,
    /// An expression of this many bytes starts here.
    Expr(usize),
    /// Not enough bytes yet to decide.
    NeedMore,
}

/// What a closer search learned, in file offsets: the first closer at or
/// after `from` starts at `found`; or, with `found` `None`, none starts in
/// `from..upto`.
#[derive(Clone, Copy)]
struct Seen {
    from: u64,
    found: Option<u64>,
    upto: u64,
}

/// Finds expressions, remembering closer searches so that a run of
/// openers without closers (`{{{{{{…`) costs linear time, not a window's
/// search per opener.
struct Finder {
    seen: [Option<Seen>; 6],
    /// One searcher per closer, built once: most searches are short.
    closers: Vec<memchr::memmem::Finder<'static>>,
    /// The longest expression ([`MAX_EXPRESSION`]; smaller in tests, to
    /// reach the cache's every path with short inputs).
    max: usize,
}

impl Default for Finder {
    fn default() -> Self {
        Finder {
            seen: [None; 6],
            closers: PAIRS
                .iter()
                .map(|(_, close)| memchr::memmem::Finder::new(*close))
                .collect(),
            max: MAX_EXPRESSION,
        }
    }
}

impl Finder {
    /// The first `close` starting at or after `buf[q]` and ending within
    /// `buf[..end]`, where `buf[0]` is file offset `base`.
    fn closer(
        &mut self,
        k: usize,
        close: &[u8],
        buf: &[u8],
        base: u64,
        q: usize,
        end: usize,
    ) -> Option<usize> {
        let abs_q = base + q as u64;
        let abs_end = base + end as u64;
        let mut from = q;
        if let Some(s) = self.seen[k].filter(|s| s.from <= abs_q) {
            match s.found {
                Some(f) if f >= abs_q => {
                    let at = (f - base) as usize;
                    return (at + close.len() <= end).then_some(at);
                }
                None if s.upto >= abs_q => {
                    if s.upto + close.len() as u64 > abs_end {
                        return None;
                    }
                    from = (s.upto - base) as usize;
                }
                _ => {}
            }
        }
        let hit = self.closers[k]
            .find(&buf[from.min(end)..end])
            .map(|p| from + p);
        self.seen[k] = Some(match hit {
            Some(at) => Seen {
                from: abs_q,
                found: Some(base + at as u64),
                upto: 0,
            },
            None => Seen {
                from: abs_q,
                found: None,
                upto: (abs_end + 1).saturating_sub(close.len() as u64).max(abs_q),
            },
        });
        hit
    }

    /// Whether an expression starts at `i` of `buf` (`buf[0]` is file
    /// offset `base`; `buf` holds everything up to the end of the stream
    /// when `eof`).
    fn at(&mut self, buf: &[u8], base: u64, i: usize, eof: bool) -> At {
        let rest = &buf[i..];
        let end = i + rest.len().min(self.max);
        let complete = eof || rest.len() >= self.max;
        if base + i as u64 == 0 && (rest.starts_with(b"---\n") || rest.starts_with(b"---\r\n")) {
            return front_matter(&buf[i..end], complete);
        }
        if rest.len() < 3 && !eof {
            return At::NeedMore;
        }
        if rest.starts_with(b"${") {
            return substitution(rest, eof);
        }
        for (k, (open, close)) in PAIRS.iter().enumerate() {
            if !rest.starts_with(open) {
                continue;
            }
            if *open == b"<?" && !is_php_open(&rest[2..]) {
                return At::No;
            }
            return match self.closer(k, close, buf, base, i + open.len(), end) {
                Some(at) => At::Expr(at + close.len() - i),
                None if complete => At::No,
                None => At::NeedMore,
            };
        }
        At::No
    }
}

/// Front matter at the start of `window`: up to the next line that is
/// exactly `---`.
fn front_matter(window: &[u8], complete: bool) -> At {
    let mut at = 3;
    while let Some(nl) = memchr::memchr(b'\n', &window[at..]) {
        let line = at + nl + 1;
        let tail = &window[line..];
        if tail.starts_with(b"---")
            && matches!(tail.get(3), Some(b'\n' | b'\r') | None)
            && (tail.len() > 3 || complete)
        {
            return At::Expr(line + 3);
        }
        at = line;
    }
    if complete { At::No } else { At::NeedMore }
}

/// `${ … }` at the start of `rest`, braces counted, within
/// [`MAX_SUBSTITUTION`] bytes and [`MAX_DEPTH`] levels.
fn substitution(rest: &[u8], eof: bool) -> At {
    let window = &rest[..rest.len().min(MAX_SUBSTITUTION)];
    let mut depth = 0usize;
    for (k, &b) in window.iter().enumerate().skip(1) {
        match b {
            b'{' if depth == MAX_DEPTH => return At::No,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return At::Expr(k + 1);
                }
            }
            _ => {}
        }
    }
    if eof || rest.len() >= MAX_SUBSTITUTION {
        At::No
    } else {
        At::NeedMore
    }
}

/// `<?` opens PHP when followed by `php`, `=` or white space (not `<?xml`).
fn is_php_open(after: &[u8]) -> bool {
    after
        .first()
        .is_some_and(|b| *b == b'=' || b.is_ascii_whitespace())
        || after
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"php"))
}

/// The byte ranges of every expression in a whole template.
pub fn expressions(text: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut finder = Finder::default();
    let mut i = 0;
    while i < text.len() {
        match finder.at(text, 0, i, true) {
            At::Expr(len) => {
                out.push(i..i + len);
                i += len;
            }
            At::No | At::NeedMore => {
                i = next_candidate(text, i + 1);
            }
        }
    }
    out
}

/// The next position at or after `from` where an expression could start.
fn next_candidate(buf: &[u8], from: usize) -> usize {
    memchr::memchr3(b'{', b'<', b'$', &buf[from.min(buf.len())..]).map_or(buf.len(), |k| from + k)
}

/// Which side of the split a [`Masked`] stream keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The markup; expressions are blanked.
    Markup,
    /// The expressions; markup is blanked.
    Expressions,
}

/// A stream with one side of a template's split blanked to spaces (line
/// breaks kept), byte for byte the length of the input.
pub struct Masked<R> {
    inner: R,
    keep: Keep,
    /// Input read but not yet returned.
    buf: Vec<u8>,
    /// `buf[..ready]` is decided (already masked) and can be returned.
    ready: usize,
    /// Offset in the file of `buf[0]`.
    base: u64,
    eof: bool,
    finder: Finder,
}

impl<R: Read> Masked<R> {
    /// Masks `inner`, keeping `keep`.
    pub fn new(inner: R, keep: Keep) -> Self {
        Masked {
            inner,
            keep,
            buf: Vec::new(),
            ready: 0,
            base: 0,
            eof: false,
            finder: Finder::default(),
        }
    }

    /// Decides as much of `buf` as the lookahead allows.
    fn decide(&mut self) {
        let mut i = self.ready;
        while i < self.buf.len() {
            match self.finder.at(&self.buf, self.base, i, self.eof) {
                At::NeedMore => break,
                At::Expr(len) => {
                    if self.keep == Keep::Markup {
                        blank(&mut self.buf[i..i + len]);
                    }
                    i += len;
                }
                At::No => {
                    let next = next_candidate(&self.buf, i + 1);
                    if self.keep == Keep::Expressions {
                        blank(&mut self.buf[i..next]);
                    }
                    i = next;
                }
            }
        }
        self.ready = i;
    }
}

/// Spaces for everything but line breaks.
fn blank(bytes: &mut [u8]) {
    for b in bytes {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

impl<R: Read> Read for Masked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.ready == 0 {
            if self.eof && self.buf.is_empty() {
                return Ok(0);
            }
            if !self.eof {
                let mut chunk = [0u8; 16 * 1024];
                let n = self.inner.read(&mut chunk)?;
                if n == 0 {
                    self.eof = true;
                } else {
                    self.buf.extend_from_slice(&chunk[..n]);
                }
            }
            // Decide only with the full lookahead in hand, or at the end.
            if self.eof || self.buf.len() >= 2 * MAX_EXPRESSION {
                self.decide();
            }
        }
        let n = self.ready.min(out.len());
        out[..n].copy_from_slice(&self.buf[..n]);
        self.buf.drain(..n);
        self.ready -= n;
        self.base += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, keep: Keep, chunk: usize) -> String {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut s = String::new();
        Masked::new(Slow(text.as_bytes(), chunk), keep)
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn blanks_each_syntax_keeping_offsets_and_lines() {
        let t = "<a href=\"https://{{ site.host }}/x\">{% if a %}b{% endif %}{# c #}\n\
                 <%= d %><?php echo 1 ?><?= $e ?>${f({g})}{{{ h }}}<?xml v?>";
        let m = masked(t, Keep::Markup, 7);
        assert_eq!(m.len(), t.len());
        // 15 = `{{ site.host }}`; 18 = `{% if a %}`, `{% endif %}`, `{# c #}`
        // after `b`; 50 = the five expressions of line 2.
        let want = format!(
            "<a href=\"https://{}/x\">{}b{}\n{}<?xml v?>",
            " ".repeat(15),
            " ".repeat(10),
            " ".repeat(18),
            " ".repeat(50)
        );
        assert_eq!(m, want);
        let e = masked(t, Keep::Expressions, 3);
        assert_eq!(e.len(), t.len());
        assert!(e.starts_with(
            "                 {{ site.host }}    {% if a %} {% endif %}{# c #}\n<%= d %>"
        ));
        assert!(e.ends_with("{{{ h }}}         "));
    }

    #[test]
    fn unclosed_openers_and_front_matter() {
        let t = "---\ntitle: x\nga: \"https://www.google-analytics.com\"\n---\n<p>{{ unclosed</p>";
        let m = masked(t, Keep::Markup, 5);
        assert_eq!(
            m,
            "   \n        \n                                      \n   \n<p>{{ unclosed</p>"
        );
        assert_eq!(expressions(t.as_bytes()), vec![0..t.find("\n<p>").unwrap()]);
        // Front matter only at the very start.
        assert!(expressions(b"x\n---\na\n---\n").is_empty());
        // `{` in code without a second brace is not an expression.
        assert!(expressions(b"function(){return {a:1}}").is_empty());
    }

    fn finder(max: usize) -> Finder {
        Finder {
            max,
            ..Finder::default()
        }
    }

    /// Expressions at most `max` bytes long, with one finder (`cached`) or
    /// a fresh one per position.
    fn find_all(text: &[u8], max: usize, cached: bool) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut f = finder(max);
        let mut i = 0;
        while i < text.len() {
            if !cached {
                f = finder(max);
            }
            match f.at(text, 0, i, true) {
                At::Expr(len) => {
                    out.push(i..i + len);
                    i += len;
                }
                _ => i += 1,
            }
        }
        out
    }

    proptest::proptest! {
        /// The closer cache changes cost, never the result.
        #[test]
        fn the_closer_cache_changes_nothing(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["{{", "}}", "{%", "%}", "{#", "#}", "<%", "%>", "<?php", "?>", "${", "{", "}", "x", "\n", "---\n", "}}}", "{{{"]),
                0..200,
            )
        ) {
            let text = parts.concat();
            for max in [8, 24, 64] {
                proptest::prop_assert_eq!(
                    find_all(text.as_bytes(), max, true),
                    find_all(text.as_bytes(), max, false)
                );
            }
            let mut masked = Vec::new();
            Masked::new(text.as_bytes(), Keep::Markup).read_to_end(&mut masked).unwrap();
            let mut want = text.clone().into_bytes();
            for r in find_all(text.as_bytes(), MAX_EXPRESSION, false) {
                blank(&mut want[r]);
            }
            proptest::prop_assert_eq!(masked, want);
        }
    }

    #[test]
    fn runs_of_unclosed_openers_are_linear() {
        // Quadratic before the closer cache: each opener searched 64 KiB.
        let text = "{{ {% <% <?php ${ ".repeat(200_000);
        assert!(expressions(text.as_bytes()).is_empty());
        let mut t = "{{ ".repeat(100_000);
        t.push_str("x }}");
        assert_eq!(expressions(t.as_bytes()).len(), 1);
    }

    #[test]
    fn read_size_does_not_change_the_output() {
        let mut t = String::from("<p>{{ a }}</p>");
        t.push_str(&"x".repeat(MAX_EXPRESSION + 10));
        t.push_str("{% long");
        t.push_str(&"y".repeat(100));
        t.push_str("%}${ q }<% z");
        let whole = masked(&t, Keep::Markup, t.len());
        for chunk in [1, 2, 3, 4096, 70_000] {
            assert_eq!(masked(&t, Keep::Markup, chunk), whole, "chunk {chunk}");
        }
        assert!(whole.ends_with("<% z"));
        assert!(!whole.contains("long"));
    }
}
