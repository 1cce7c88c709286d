//! Snippet signatures, matched as JavaScript tokens rather than bytes.
//!
//! A signature from a ruleset (`fbq('init'`, `gtag('config', 'AW-`,
//! `new UET(`) is compiled into tokens: identifier and number runs
//! (`[A-Za-z0-9_$]+`), string literals (`'…'`, `"…"` or `` `…` ``; the last
//! one may be left open, as in `'AW-`, and then matches every string whose
//! content starts so), and single other characters. Whitespace in a
//! signature means nothing. In code:
//!
//! * between two tokens there may be up to [`MAX_GAP`] bytes of whitespace
//!   (space, tab, vertical tab, form feed, line breaks);
//! * a string may be written with any of the three quotes, the same one at
//!   both ends; its content is compared exactly;
//! * an identifier never touches another identifier byte: two identifiers
//!   need whitespace between them (`new UET(` does not match `newUET(`),
//!   and a signature starting or ending with one stands alone
//!   (`ga('create'` does not match `mega('create'`).
//!
//! So `fbq( 'init'`, `fbq("init"` and a pretty-printed `fbq(\n  'init'`
//! all match `fbq('init'`, and minified `gtag("config","AW-1")` matches
//! `gtag('config', 'AW-`. Comments between tokens are not skipped.
//!
//! Each signature is searched for by its anchor, its most selective token
//! (the longest identifier or string content of at least
//! [`MIN_ANCHOR`] bytes, common words such as `window` or `init` last),
//! with one Aho-Corasick automaton over every anchor; a hit is verified
//! token by token backwards and forwards. Matches span at most
//! [`MAX_SPAN`] bytes, so a streaming caller knows how much context to
//! keep (see [`SnippetIndex::find`]).

use std::cmp::Reverse;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

/// The most whitespace allowed between two tokens of a match.
pub(super) const MAX_GAP: usize = 64;
/// The longest match, first token to last: bounds how much text a match
/// reads past where it starts.
pub(crate) const MAX_SPAN: usize = 256;
/// The shortest token a signature can be searched by.
pub(super) const MIN_ANCHOR: usize = 3;

/// Words so frequent in code that a signature is searched by another of
/// its tokens when it has one.
const COMMON: &[&str] = &[
    "apply",
    "call",
    "config",
    "configure",
    "consent",
    "const",
    "data",
    "document",
    "event",
    "false",
    "function",
    "init",
    "initialize",
    "let",
    "load",
    "new",
    "null",
    "prototype",
    "push",
    "return",
    "script",
    "send",
    "this",
    "track",
    "true",
    "typeof",
    "var",
    "window",
];

/// One token of a signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Token {
    /// An identifier or number: a run of `[A-Za-z0-9_$]`.
    Word(Box<str>),
    /// A string literal's content, in any of the three quotes; an open one
    /// (the signature's last token) matches a string starting so.
    Str {
        /// The content between the quotes.
        content: Box<str>,
        /// Whether the closing quote is part of the signature.
        closed: bool,
    },
    /// Any other character (`(`, `.`, `:`).
    Other(char),
}

impl Token {
    /// How many bytes the token takes in code.
    fn len(&self) -> usize {
        match self {
            Token::Word(w) => w.len(),
            Token::Str { content, closed } => content.len() + 1 + usize::from(*closed),
            Token::Other(c) => c.len_utf8(),
        }
    }

    /// The text an anchor of this token is searched by: an identifier, or
    /// a string's content.
    fn anchor_text(&self) -> Option<&str> {
        match self {
            Token::Word(w) => Some(w),
            Token::Str { content, .. } => Some(content),
            Token::Other(_) => None,
        }
    }

    /// Whether the token is written in `text` at `at..at + self.len()`.
    /// An identifier is also checked not to touch another identifier byte
    /// (the bytes either side are read as context).
    fn is_at(&self, text: &[u8], at: usize) -> bool {
        let end = at + self.len();
        let Some(t) = text.get(at..end) else {
            return false;
        };
        match self {
            Token::Word(w) => {
                t == w.as_bytes()
                    && !at.checked_sub(1).is_some_and(|i| is_ident_byte(text[i]))
                    && !text.get(end).is_some_and(|&b| is_ident_byte(b))
            }
            Token::Str { content, closed } => {
                let quote = t[0];
                is_quote(quote)
                    && &t[1..=content.len()] == content.as_bytes()
                    && (!closed || t[t.len() - 1] == quote)
            }
            Token::Other(c) => t == c.encode_utf8(&mut [0; 4]).as_bytes(),
        }
    }
}

/// A signature, compiled.
#[derive(Clone, Debug)]
pub(super) struct Signature {
    tokens: Vec<Token>,
    /// Index of the token it is searched by.
    anchor: usize,
}

impl Signature {
    /// Compiles `text`; `None` when it has no identifier or string of
    /// [`MIN_ANCHOR`] bytes or more to search by.
    pub(super) fn compile(text: &str) -> Option<Signature> {
        let tokens = tokenize(text);
        let anchor = tokens
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((i, t.anchor_text()?)))
            .filter(|(_, a)| a.len() >= MIN_ANCHOR)
            // Rarest first: not a common word, longest, then one with an
            // upper-case letter, digit, `_` or `$` (`cmplz_` over `prefix`),
            // then the first.
            .max_by_key(|&(i, a)| {
                (
                    !COMMON.contains(&a),
                    a.len(),
                    a.bytes().any(|b| !b.is_ascii_lowercase()),
                    Reverse(i),
                )
            })?
            .0;
        Some(Signature { tokens, anchor })
    }

    /// The tokens: two signatures with the same tokens match the same code.
    pub(super) fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The match whose anchor text (the identifier, or the string's
    /// content) is at `text[at..]`, if it starts at or after `floor`.
    ///
    /// Reads `text` from one byte before the match (or `floor`, whichever
    /// is lower) to one byte past `start + MAX_SPAN` at most.
    fn find_at(&self, text: &[u8], at: usize, floor: usize) -> Option<Range<usize>> {
        let anchor = &self.tokens[self.anchor];
        let a = match anchor {
            Token::Str { .. } => at.checked_sub(1)?,
            _ => at,
        };
        // A match longer than MAX_SPAN is none.
        let floor = floor.max(a.saturating_sub(MAX_SPAN));
        if a < floor || !anchor.is_at(text, a) {
            return None;
        }
        let mut start = a;
        for t in self.tokens[..self.anchor].iter().rev() {
            let gap_start = gap_before(text, start, floor)?;
            start = gap_start.checked_sub(t.len()).filter(|&s| s >= floor)?;
            if !t.is_at(text, start) {
                return None;
            }
        }
        let ceil = text.len().min(start + MAX_SPAN);
        let mut end = a + anchor.len();
        if end > ceil {
            return None;
        }
        for t in &self.tokens[self.anchor + 1..] {
            let at = gap_after(text, end, ceil)?;
            end = at + t.len();
            if end > ceil || !t.is_at(text, at) {
                return None;
            }
        }
        Some(start..end)
    }
}

/// Splits a signature into tokens.
fn tokenize(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if is_space(c) {
            i += 1;
        } else if is_ident_byte(c) {
            let s = i;
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            tokens.push(Token::Word(text[s..i].into()));
        } else if is_quote(c) {
            let s = i + 1;
            let (content, closed, next) = match b[s..].iter().position(|&q| q == c) {
                Some(n) => (&text[s..s + n], true, s + n + 1),
                None => (&text[s..], false, b.len()),
            };
            tokens.push(Token::Str {
                content: content.into(),
                closed,
            });
            i = next;
        } else {
            let ch = text[i..].chars().next().expect("i is a char boundary");
            tokens.push(Token::Other(ch));
            i += ch.len_utf8();
        }
    }
    tokens
}

/// Where the whitespace before `p` starts (at most [`MAX_GAP`] bytes, not
/// below `floor`); `None` if there is more.
fn gap_before(text: &[u8], p: usize, floor: usize) -> Option<usize> {
    let mut q = p;
    while q > floor && is_space(text[q - 1]) {
        if p - q == MAX_GAP {
            return None;
        }
        q -= 1;
    }
    Some(q)
}

/// Where the whitespace after `p` ends (at most [`MAX_GAP`] bytes, not
/// past `ceil`); `None` if there is more.
fn gap_after(text: &[u8], p: usize, ceil: usize) -> Option<usize> {
    let mut q = p;
    while q < ceil && is_space(text[q]) {
        if q - p == MAX_GAP {
            return None;
        }
        q += 1;
    }
    Some(q)
}

/// JavaScript's ASCII whitespace and line terminators.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_quote(b: u8) -> bool {
    matches!(b, b'\'' | b'"' | b'`')
}

/// Bytes of a JavaScript identifier (ASCII part).
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Every signature's anchor in one automaton.
pub(super) struct SnippetIndex {
    signatures: Vec<Signature>,
    anchors: AhoCorasick,
    /// For each anchor (automaton pattern), the signatures searched by it.
    by_anchor: Vec<Vec<usize>>,
}

impl SnippetIndex {
    /// Indexes `signatures`; [`SnippetIndex::find`] reports matches by
    /// their index here.
    pub(super) fn new(signatures: Vec<Signature>) -> SnippetIndex {
        let mut texts: Vec<&str> = Vec::new();
        let mut by_anchor: Vec<Vec<usize>> = Vec::new();
        for (i, s) in signatures.iter().enumerate() {
            let a = s.tokens[s.anchor]
                .anchor_text()
                .expect("an anchor has text");
            match texts.iter().position(|t| *t == a) {
                Some(p) => by_anchor[p].push(i),
                None => {
                    texts.push(a);
                    by_anchor.push(vec![i]);
                }
            }
        }
        // Standard semantics, searched overlapping: every occurrence of
        // every anchor is a hit, so `UC_UI` in `UC_UI_INITIALIZED` cannot
        // hide the longer anchor, nor the other way round.
        let anchors = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .expect("anchors are short and bounded");
        SnippetIndex {
            signatures,
            anchors,
            by_anchor,
        }
    }

    /// Appends to `out` the matches that start in `from..limit`, as (range,
    /// signature index), in order of start. Where several signatures match
    /// at one start, the longest match wins (`gtag('config', 'AW-` over
    /// `gtag('config'`).
    ///
    /// The start decides: a match that starts before `from` is left to
    /// the caller's previous window, whatever the position of its anchor.
    /// Text is read from `from - 1` to `limit + MAX_SPAN`, so a caller
    /// sliding a window over a stream gets the same matches however the
    /// stream is split, as long as it keeps that much around the fresh part.
    pub(super) fn find(
        &self,
        text: &[u8],
        from: usize,
        limit: usize,
        out: &mut Vec<(Range<usize>, usize)>,
    ) {
        let limit = limit.min(text.len());
        if from >= limit {
            return;
        }
        // Anchors of matches that start before `limit` end before this.
        let reach = (limit + MAX_SPAN).min(text.len());
        let first = out.len();
        for hit in self
            .anchors
            .find_overlapping_iter(Input::new(text).range(from..reach))
        {
            for &i in &self.by_anchor[hit.pattern().as_usize()] {
                if let Some(range) = self.signatures[i].find_at(text, hit.start(), from)
                    && range.start < limit
                {
                    out.push((range, i));
                }
            }
        }
        if out.len() - first > 1 {
            // The first (longest) match at each start.
            let mut found = out.split_off(first);
            found.sort_unstable_by_key(|(r, i)| (r.start, Reverse(r.end), *i));
            found.dedup_by_key(|(r, _)| r.start);
            out.append(&mut found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text `signature` matches in `code`, each match.
    fn matches(signature: &str, code: &str) -> Vec<String> {
        let index = SnippetIndex::new(vec![Signature::compile(signature).unwrap()]);
        let mut out = Vec::new();
        index.find(code.as_bytes(), 0, code.len(), &mut out);
        out.into_iter().map(|(r, _)| code[r].to_string()).collect()
    }

    #[test]
    fn whitespace_quotes_and_line_breaks_do_not_matter() {
        for code in [
            "fbq('init', 1)",
            "fbq( 'init', 1)",
            "fbq(\"init\", 1)",
            "fbq(`init`, 1)",
            "fbq(\n  'init',\n  1)",
            "fbq\t(\r\n'init')",
        ] {
            let text = code.split(',').next().unwrap().trim_end_matches(')');
            assert_eq!(matches("fbq('init'", code), [text], "{code:?}");
        }
        // Minified, and pretty with an open string.
        assert_eq!(
            matches("gtag('config', 'AW-", r#"gtag("config","AW-1")"#),
            [r#"gtag("config","AW-"#]
        );
        assert_eq!(
            matches("gtag('config', 'AW-", "gtag('config','AW-1')"),
            ["gtag('config','AW-"]
        );
        assert_eq!(
            matches("gtag('config', 'AW-", "gtag( 'config' ,\n\t'AW-123')"),
            ["gtag( 'config' ,\n\t'AW-"]
        );
        assert_eq!(
            matches("window.uetq", "window . uetq=[]"),
            ["window . uetq"]
        );
        assert_eq!(
            matches(r#""prefix":"cmplz_""#, r#"{"prefix" : "cmplz_","x":1}"#),
            [r#""prefix" : "cmplz_""#]
        );
        assert_eq!(
            matches(
                "Amplitude snippet has been loaded",
                "/* Amplitude  snippet\n has been loaded */"
            ),
            ["Amplitude  snippet\n has been loaded"]
        );
    }

    #[test]
    fn near_misses_do_not_match() {
        // An identifier stands alone.
        assert!(matches("fbq('init'", "xfbq('init', 1)").is_empty());
        assert!(matches("fbq('init'", "fbq_('init', 1)").is_empty());
        assert!(matches("window.uetq", "window.uetqx=1").is_empty());
        // A closed string is the whole string; an open one a prefix.
        assert!(matches("fbq('init'", "fbq('initialize', 1)").is_empty());
        assert!(matches("fbq('init'", "fbq('xinit', 1)").is_empty());
        assert_eq!(
            matches("gtag('config', 'AW-", "gtag('config', 'AW-123')"),
            ["gtag('config', 'AW-"]
        );
        assert!(matches("gtag('config', 'AW-", "gtag('config', 'G-123')").is_empty());
        // The same quote at both ends.
        assert!(matches("fbq('init'", "fbq('init\", 1)").is_empty());
        assert!(matches("fbq('init'", "fbq(init, 1)").is_empty());
        // Two identifiers need whitespace between them.
        assert!(matches("new UET(", "newUET(o)").is_empty());
        assert_eq!(matches("new UET(", "new\n  UET(o)"), ["new\n  UET("]);
        // Case matters, as in JavaScript.
        assert!(matches("fbq('init'", "FBQ('init', 1)").is_empty());
        // Comments are not whitespace.
        assert!(matches("fbq('init'", "fbq(/**/'init', 1)").is_empty());
        assert!(
            matches(
                "Amplitude snippet has been loaded",
                "// Amplitude snippet\n// has been loaded"
            )
            .is_empty()
        );
    }

    #[test]
    fn gaps_and_spans_are_bounded() {
        let code = |n: usize| format!("fbq({}'init')", " ".repeat(n));
        assert_eq!(matches("fbq('init'", &code(MAX_GAP)).len(), 1);
        assert!(matches("fbq('init'", &code(MAX_GAP + 1)).is_empty());
        // Many gaps of the most whitespace each add up past MAX_SPAN.
        let sig = "ab1.ab2.ab3";
        let parts = ["ab1", ".", "ab2", ".", "ab3"];
        let long = parts.join(&" ".repeat(MAX_GAP));
        assert!(long.len() > MAX_SPAN);
        assert!(matches(sig, &long).is_empty());
        let short = parts.join(&" ".repeat(MAX_GAP / 2));
        assert!(short.len() <= MAX_SPAN);
        assert_eq!(matches(sig, &short), [short.as_str()]);
    }

    #[test]
    fn matches_are_reported_where_they_start() {
        // Searched by `UET`, at 8.
        let index = SnippetIndex::new(vec![Signature::compile("new UET(").unwrap()]);
        let code = b"  new\n  UET(o)";
        let find = |from: usize, limit: usize| {
            let mut out = Vec::new();
            index.find(code, from, limit, &mut out);
            out.into_iter()
                .map(|(r, _)| (r.start, r.end))
                .collect::<Vec<_>>()
        };
        assert_eq!(find(0, code.len()), [(2, 12)]);
        // The anchor is past `limit`, the start is not: reported.
        assert_eq!(find(0, 3), [(2, 12)]);
        // The anchor is past `from`, the start is not: the previous
        // window's.
        assert!(find(3, code.len()).is_empty());
    }

    #[test]
    fn a_window_split_anywhere_finds_the_same_matches() {
        let index = SnippetIndex::new(
            [
                "fbq('init'",
                "gtag('config'",
                "gtag('config', 'AW-",
                "new UET(",
                "window.uetq",
                "Amplitude snippet has been loaded",
            ]
            .into_iter()
            .map(|s| Signature::compile(s).unwrap())
            .collect(),
        );
        let text = format!(
            "x=1;fbq(\n  'init', 1);gtag( 'config' ,\n\n 'AW-9');new{}UET(o);\
             /* Amplitude   snippet\n has  been loaded */ window\n.uetq=[];\
             xfbq('init');gtag(\"config\",\"G\");new\tUET(",
            " ".repeat(MAX_GAP)
        );
        let text = text.as_bytes();
        let mut whole = Vec::new();
        index.find(text, 0, text.len(), &mut whole);
        assert_eq!(whole.len(), 7, "every one but `xfbq`");
        for cut in 0..=text.len() {
            // Each side sees only the context `find` promises to read: one
            // byte before `from`, MAX_SPAN after `limit`.
            let mut split = Vec::new();
            index.find(&text[..text.len().min(cut + MAX_SPAN)], 0, cut, &mut split);
            let base = cut.saturating_sub(1);
            let mut rest = Vec::new();
            index.find(&text[base..], cut - base, text.len() - base, &mut rest);
            split.extend(
                rest.into_iter()
                    .map(|(r, i)| (r.start + base..r.end + base, i)),
            );
            assert_eq!(split, whole, "cut at {cut}");
        }
    }

    #[test]
    fn the_longest_match_at_a_start_wins() {
        let index = SnippetIndex::new(
            ["gtag('config'", "gtag('config', 'AW-", "gtag('js'"]
                .into_iter()
                .map(|s| Signature::compile(s).unwrap())
                .collect(),
        );
        let code = b"gtag('js',d);gtag('config','AW-1');gtag('config','G-1')";
        let mut out = Vec::new();
        index.find(code, 0, code.len(), &mut out);
        assert_eq!(out, [(0..9, 2), (13..31, 1), (35..48, 0)]);
    }

    #[test]
    fn anchors_are_the_rarest_token() {
        let anchor = |s: &str| {
            let sig = Signature::compile(s).unwrap();
            sig.tokens[sig.anchor].anchor_text().unwrap().to_string()
        };
        assert_eq!(anchor("fbq('init'"), "fbq");
        assert_eq!(anchor("new UET("), "UET");
        assert_eq!(anchor("window.uetq"), "uetq");
        assert_eq!(anchor(r#""prefix":"cmplz_""#), "cmplz_");
        assert_eq!(anchor("ga('send'"), "send");
        assert_eq!(anchor("zE('messenger"), "messenger");
        assert!(Signature::compile("a.b(c)").is_none());
        assert!(Signature::compile("ga('x'").is_none());
    }

    #[test]
    fn signatures_compile_to_tokens() {
        let tokens = |s: &str| Signature::compile(s).unwrap().tokens;
        assert_eq!(tokens("fbq('init'"), tokens("fbq ( \"init\""));
        assert_ne!(tokens("fbq('init'"), tokens("fbq('init"));
        assert_eq!(
            tokens("new UET("),
            [
                Token::Word("new".into()),
                Token::Word("UET".into()),
                Token::Other('(')
            ]
        );
        // Non-ASCII characters are tokens of their own.
        assert_eq!(tokens("caf\u{e9}('x'").len(), 4);
    }
}
