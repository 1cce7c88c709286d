//! Where JavaScript's comments are: a lexer for exactly the states that
//! decide it — strings, template literals (with `${…}` substitutions
//! nested), regular-expression literals and comments — fed a byte at a
//! time or a slice at a time as code streams past.
//!
//! A `/` starts a regular expression unless what precedes it ends an
//! operand: an identifier or number (not a keyword such as `return` or
//! `typeof`), `)`, `]` or a closing quote. The guess leans towards
//! "regular expression", the safe side: a division taken for a regular
//! expression can only make a comment be missed (its text is then
//! scanned), while a regular expression taken for a division could make
//! a `//` inside it open a comment and hide code. The case the rule gets
//! wrong that way is a regular expression right after the `)` of an `if`
//! or `while` head (`if (x) /re/.test(y)`), which minifiers do not write.

use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum Js {
    #[default]
    Code,
    Slash,
    Line,
    Block,
    BlockStar,
    Str(u8),
    StrEsc(u8),
    Tpl,
    TplEsc,
    TplDollar,
    Regex,
    RegexEsc,
    RegexClass,
}

/// The lexer's state between bytes.
#[derive(Default)]
pub struct JsLexer {
    state: Js,
    /// The last significant byte of code, for telling `/` apart.
    last: u8,
    /// The identifier or keyword ending at `last` (its first 16 bytes).
    word: Vec<u8>,
    /// The byte just read was part of an identifier.
    in_word: bool,
    /// Brace depths of the `${` substitutions open.
    subs: Vec<u32>,
    /// Stream offset of the next byte.
    pos: u64,
    /// Stream offset of the `/` that opened the comment being read.
    comment_start: u64,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

impl JsLexer {
    /// Consumes `b`; whether it is part of a comment.
    pub fn feed(&mut self, b: u8) -> bool {
        let (next, comment) = match self.state {
            Js::Code => (self.code(b), false),
            Js::Slash => match b {
                b'/' => (Js::Line, true),
                b'*' => (Js::Block, true),
                _ if self.regex_allowed() => match b {
                    b'\\' => (Js::RegexEsc, false),
                    b'[' => (Js::RegexClass, false),
                    b'\n' | b'\r' => (Js::Code, false),
                    _ => (Js::Regex, false),
                },
                _ => {
                    self.last = b'/';
                    self.word.clear();
                    (self.code(b), false)
                }
            },
            Js::Line => {
                if b == b'\n' || b == b'\r' {
                    (Js::Code, false)
                } else {
                    (Js::Line, true)
                }
            }
            Js::Block => (if b == b'*' { Js::BlockStar } else { Js::Block }, true),
            Js::BlockStar => match b {
                b'/' => (Js::Code, true),
                b'*' => (Js::BlockStar, true),
                _ => (Js::Block, true),
            },
            Js::Str(q) => match b {
                b'\\' => (Js::StrEsc(q), false),
                b'\n' | b'\r' => (Js::Code, false),
                _ if b == q => {
                    self.close_operand(q);
                    (Js::Code, false)
                }
                _ => (Js::Str(q), false),
            },
            Js::StrEsc(q) => (Js::Str(q), false),
            Js::Tpl => match b {
                b'\\' => (Js::TplEsc, false),
                b'`' => {
                    self.close_operand(b'`');
                    (Js::Code, false)
                }
                b'$' => (Js::TplDollar, false),
                _ => (Js::Tpl, false),
            },
            Js::TplEsc => (Js::Tpl, false),
            Js::TplDollar => match b {
                b'{' => {
                    self.subs.push(0);
                    self.last = b'{';
                    self.word.clear();
                    (Js::Code, false)
                }
                b'`' => {
                    self.close_operand(b'`');
                    (Js::Code, false)
                }
                b'\\' => (Js::TplEsc, false),
                _ => (Js::Tpl, false),
            },
            Js::Regex => match b {
                b'\\' => (Js::RegexEsc, false),
                b'[' => (Js::RegexClass, false),
                b'/' => {
                    // Flags follow: like an identifier, a `/` after them
                    // divides.
                    self.close_operand(b'a');
                    (Js::Code, false)
                }
                b'\n' | b'\r' => (Js::Code, false),
                _ => (Js::Regex, false),
            },
            Js::RegexEsc => (Js::Regex, false),
            Js::RegexClass => match b {
                b']' => (Js::Regex, false),
                b'\n' | b'\r' => (Js::Code, false),
                _ => (Js::RegexClass, false),
            },
        };
        if next != Js::Code || self.state != Js::Code {
            self.in_word = false;
        }
        if self.state == Js::Slash && matches!(next, Js::Line | Js::Block) {
            self.comment_start = self.pos - 1;
        }
        self.state = next;
        self.pos += 1;
        comment
    }

    /// Consumes `bytes`, pushing the stream range of every comment that
    /// ends in them (from its `/` to past its `*/`, or to its line break).
    pub fn feed_slice(&mut self, bytes: &[u8], comments: &mut Vec<Range<u64>>) {
        let mut i = 0;
        while i < bytes.len() {
            if self.state == Js::Code {
                let skip = self.plain_code(&bytes[i..]);
                i += skip;
                if i == bytes.len() {
                    break;
                }
            }
            let was = self.state;
            self.feed(bytes[i]);
            i += 1;
            let closed = match was {
                Js::Line => self.state == Js::Code,
                Js::BlockStar => self.state == Js::Code,
                _ => false,
            };
            if closed {
                // A line comment ends before its line break.
                let end = if was == Js::Line {
                    self.pos - 1
                } else {
                    self.pos
                };
                comments.push(self.comment_start..end);
            }
        }
    }

    /// Where the comment still open at the end of the input so far
    /// starts, if one is.
    pub fn open_comment(&self) -> Option<u64> {
        matches!(self.state, Js::Line | Js::Block | Js::BlockStar).then_some(self.comment_start)
    }

    /// Skips the leading bytes of `code` that cannot change the state
    /// (anything but `/`, quotes and, inside a substitution, braces),
    /// keeping `last` and `word` as a byte at a time would; returns how
    /// many.
    fn plain_code(&mut self, code: &[u8]) -> usize {
        let quote = memchr::memchr3(b'\'', b'"', b'`', code);
        let slash = memchr::memchr(b'/', code);
        let brace = if self.subs.is_empty() {
            None
        } else {
            memchr::memchr2(b'{', b'}', code)
        };
        let n = [quote, slash, brace]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(code.len());
        let span = &code[..n];
        let Some(k) = span.iter().rposition(|b| !b.is_ascii_whitespace()) else {
            if n > 0 {
                self.in_word = false;
            }
            self.pos += n as u64;
            return n;
        };
        let b = span[k];
        if is_ident(b) {
            let run_start = span[..k]
                .iter()
                .rposition(|&c| !is_ident(c))
                .map_or(0, |p| p + 1);
            if !(run_start == 0 && self.in_word) {
                self.word.clear();
            }
            let room = 16usize.saturating_sub(self.word.len());
            let run = &span[run_start..=k];
            self.word.extend_from_slice(&run[..run.len().min(room)]);
        } else {
            self.word.clear();
        }
        self.last = b;
        self.in_word = k + 1 == n && is_ident(b);
        self.pos += n as u64;
        n
    }

    /// A string, template or regular expression just closed: an operand.
    fn close_operand(&mut self, last: u8) {
        self.last = last;
        self.word.clear();
    }

    fn code(&mut self, b: u8) -> Js {
        match b {
            b'/' => return Js::Slash,
            b'"' | b'\'' => return Js::Str(b),
            b'`' => return Js::Tpl,
            b'{' => {
                if let Some(d) = self.subs.last_mut() {
                    *d += 1;
                }
            }
            b'}' => match self.subs.last_mut() {
                Some(0) => {
                    self.subs.pop();
                    return Js::Tpl;
                }
                Some(d) => *d -= 1,
                None => {}
            },
            _ => {}
        }
        if is_ident(b) {
            if !self.in_word {
                self.word.clear();
            }
            if self.word.len() < 16 {
                self.word.push(b);
            }
            self.in_word = true;
        } else {
            self.in_word = false;
            if !b.is_ascii_whitespace() {
                self.word.clear();
            }
        }
        if !b.is_ascii_whitespace() {
            self.last = b;
        }
        Js::Code
    }

    /// Whether a `/` here starts a regular expression (not a division).
    fn regex_allowed(&self) -> bool {
        const KEYWORDS: &[&[u8]] = &[
            b"return",
            b"typeof",
            b"case",
            b"do",
            b"else",
            b"in",
            b"of",
            b"new",
            b"delete",
            b"void",
            b"throw",
            b"instanceof",
            b"yield",
            b"await",
        ];
        let l = self.last;
        if is_ident(l) {
            return KEYWORDS.contains(&self.word.as_slice());
        }
        !matches!(l, b')' | b']' | b'"' | b'\'' | b'`')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comments of `code`, as text, fed whole and a byte at a time.
    fn comments(code: &str) -> Vec<&str> {
        let mut whole = Vec::new();
        let mut lexer = JsLexer::default();
        lexer.feed_slice(code.as_bytes(), &mut whole);
        if let Some(s) = lexer.open_comment() {
            whole.push(s..code.len() as u64);
        }
        let mut split = Vec::new();
        let mut lexer = JsLexer::default();
        for b in code.as_bytes() {
            lexer.feed_slice(std::slice::from_ref(b), &mut split);
        }
        if let Some(s) = lexer.open_comment() {
            split.push(s..code.len() as u64);
        }
        assert_eq!(whole, split, "fed whole and a byte at a time: {code}");
        whole
            .into_iter()
            .map(|r| &code[r.start as usize..r.end as usize])
            .collect()
    }

    #[test]
    fn line_and_block_comments() {
        assert_eq!(comments("a(); // x\nb();"), ["// x"]);
        assert_eq!(comments("a(/* x */1)"), ["/* x */"]);
        assert_eq!(comments("/** a **/b"), ["/** a **/"]);
        assert_eq!(comments("a // open"), ["// open"]);
        assert_eq!(comments("a /* open"), ["/* open"]);
        assert_eq!(comments("a\r\n// x\r\nb"), ["// x"]);
    }

    #[test]
    fn strings_templates_and_regexes_are_not_comments() {
        assert_eq!(comments("s = 'https://x.example/a'; // c"), ["// c"]);
        assert_eq!(comments(r#"s = "a\"//b"; t"#), Vec::<&str>::new());
        assert_eq!(comments("s = `//${a /* in */}//`"), ["/* in */"]);
        assert_eq!(comments("s = `${`//`}` // c"), ["// c"]);
        assert_eq!(comments(r"r = /\/\//g; // c"), ["// c"]);
        assert_eq!(comments("r = /[/]/.test(s)"), Vec::<&str>::new());
        assert_eq!(
            comments("x.replace(/https?:\\/\\//, '')"),
            Vec::<&str>::new()
        );
        assert_eq!(comments("return /a//.source"), Vec::<&str>::new());
        assert_eq!(comments("f(a)/2//c"), ["//c"]);
        assert_eq!(comments("n = a / b / c // d"), ["// d"]);
        assert_eq!(comments("n = x[1]/2 /* d */"), ["/* d */"]);
        assert_eq!(comments("n = 'a'/2 //d"), ["//d"]);
        assert_eq!(comments("t = typeof /x/ // d"), ["// d"]);
    }

    #[test]
    fn keywords_are_whole_words() {
        // `areturn` is an identifier: its `/` divides.
        assert_eq!(comments("areturn /2 //c"), ["//c"]);
        // `return` split across fast-path spans is still `return`.
        assert_eq!(comments("x; return /a\\/\\/b/"), Vec::<&str>::new());
        // A name followed by space and a keyword-looking word: the last
        // word decides.
        assert_eq!(comments("a in /x//"), Vec::<&str>::new());
    }
}
