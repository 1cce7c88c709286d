//! JavaScript string expressions as the engine reads them: string literals
//! with their escapes decoded (`\x2e`, `\u002e`, `\u{2e}`, line
//! continuations) and literal-only concatenations folded
//! (`'https://connect.' + 'facebook.net/…'`), template literals without
//! substitutions included. The code scanner searches the bytes as written;
//! this pass hands it the strings a URL could hide in, so a host split or
//! escaped in source is still found, at the whole expression.
//!
//! A byte-at-a-time state machine, fed as the code streams past, so memory
//! stays bounded: a folded string longer than [`MAX_FOLDED`] is dropped.
//! Comments are skipped. A regular-expression literal is not told apart
//! from division; a quote inside one can only start a literal that ends at
//! the line's end, which folds nothing.

/// The longest folded string kept.
pub const MAX_FOLDED: usize = 64 * 1024;

/// A string expression worth searching: escapes decoded or literals joined.
#[derive(Debug, PartialEq, Eq)]
pub struct Folded {
    /// Stream offset of the first literal's opening quote.
    pub start: u64,
    /// Stream offset just past the last literal's closing quote.
    pub end: u64,
    /// The string's value (UTF-8).
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Code,
    /// After `/` in code: a comment may start.
    Slash,
    LineComment,
    BlockComment,
    /// After `*` in a block comment.
    BlockStar,
    /// Inside a literal opened by this quote.
    Literal(u8),
    /// Inside a template literal with a substitution: skipped to its end.
    Template,
}

/// The folding state machine.
#[derive(Default)]
pub struct Folder {
    state: Option<State>,
    /// Stream offset of the next byte.
    pos: u64,
    /// The chain of literals being joined: (start, value, literals, escaped).
    chain: Option<Chain>,
    /// A `+` followed the chain's last literal.
    plus: bool,
    /// The literal being read: its start and value so far.
    literal_start: u64,
    literal: Vec<u8>,
    /// An escape in progress (the bytes after the backslash).
    escape: Option<Vec<u8>>,
    escaped: bool,
    /// A `$` was just read in a template literal.
    dollar: bool,
    /// The literal grew past [`MAX_FOLDED`].
    overflow: bool,
}

struct Chain {
    start: u64,
    end: u64,
    text: Vec<u8>,
    literals: usize,
    escaped: bool,
}

impl Folder {
    /// Reads `bytes`, pushing every finished expression worth searching.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Folded>) {
        let mut i = 0;
        while i < bytes.len() {
            // In code with nothing pending, only a quote or a slash can
            // change anything: skip to the next one.
            if matches!(self.state, None | Some(State::Code)) && self.chain.is_none() {
                let rest = &bytes[i..];
                let next = match (
                    memchr::memchr3(b'\'', b'"', b'`', rest),
                    memchr::memchr(b'/', rest),
                ) {
                    (Some(a), Some(b)) => a.min(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => rest.len(),
                };
                i += next;
                self.pos += next as u64;
                if i == bytes.len() {
                    break;
                }
            }
            self.step(bytes[i], out);
            self.pos += 1;
            i += 1;
        }
    }

    /// Ends the stream.
    pub fn finish(&mut self, out: &mut Vec<Folded>) {
        self.end_chain(out);
    }

    fn step(&mut self, b: u8, out: &mut Vec<Folded>) {
        let state = self.state.unwrap_or(State::Code);
        self.state = Some(match state {
            State::Code => self.code(b, out),
            State::Slash => match b {
                b'/' => State::LineComment,
                b'*' => State::BlockComment,
                _ => {
                    self.end_chain(out);
                    self.code(b, out)
                }
            },
            State::LineComment => match b {
                b'\n' | b'\r' => State::Code,
                _ => State::LineComment,
            },
            State::BlockComment => match b {
                b'*' => State::BlockStar,
                _ => State::BlockComment,
            },
            State::BlockStar => match b {
                b'/' => State::Code,
                b'*' => State::BlockStar,
                _ => State::BlockComment,
            },
            State::Literal(q) => self.literal_byte(q, b),
            State::Template => match b {
                b'`' => State::Code,
                _ => State::Template,
            },
        });
    }

    /// A byte of code.
    fn code(&mut self, b: u8, out: &mut Vec<Folded>) -> State {
        match b {
            b'\'' | b'"' | b'`' => {
                if !self.plus {
                    self.end_chain(out);
                }
                self.plus = false;
                self.literal_start = self.pos;
                self.literal.clear();
                self.escape = None;
                self.escaped = false;
                self.dollar = false;
                self.overflow = false;
                State::Literal(b)
            }
            b'/' => State::Slash,
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')' => State::Code,
            b'+' if self.chain.is_some() && !self.plus => {
                self.plus = true;
                State::Code
            }
            _ => {
                self.end_chain(out);
                State::Code
            }
        }
    }

    /// A byte inside a literal quoted by `q`.
    fn literal_byte(&mut self, q: u8, b: u8) -> State {
        if let Some(mut esc) = self.escape.take() {
            esc.push(b);
            match decode_escape(&esc) {
                Escape::More => self.escape = Some(esc),
                Escape::Done(bytes) => {
                    self.escaped = true;
                    self.push(&bytes);
                }
            }
            return State::Literal(q);
        }
        match b {
            b'\\' => {
                self.escape = Some(Vec::new());
                State::Literal(q)
            }
            _ if b == q => {
                self.close_literal();
                State::Code
            }
            b'\n' | b'\r' if q != b'`' => {
                // An unterminated literal: nothing to fold.
                self.chain = None;
                self.plus = false;
                State::Code
            }
            b'{' if q == b'`' && self.dollar => {
                self.chain = None;
                self.plus = false;
                State::Template
            }
            _ => {
                self.dollar = q == b'`' && b == b'$';
                self.push(&[b]);
                State::Literal(q)
            }
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.literal.len() + bytes.len() > MAX_FOLDED {
            self.overflow = true;
        } else {
            self.literal.extend_from_slice(bytes);
        }
    }

    fn close_literal(&mut self) {
        let end = self.pos + 1;
        if self.overflow {
            self.chain = None;
            return;
        }
        let chain = self.chain.get_or_insert_with(|| Chain {
            start: self.literal_start,
            end,
            text: Vec::new(),
            literals: 0,
            escaped: false,
        });
        if chain.text.len() + self.literal.len() > MAX_FOLDED {
            self.chain = None;
            return;
        }
        chain.text.extend_from_slice(&self.literal);
        chain.end = end;
        chain.literals += 1;
        chain.escaped |= self.escaped;
    }

    fn end_chain(&mut self, out: &mut Vec<Folded>) {
        self.plus = false;
        if let Some(c) = self.chain.take()
            && (c.literals > 1 || c.escaped)
            && !c.text.is_empty()
        {
            out.push(Folded {
                start: c.start,
                end: c.end,
                text: String::from_utf8_lossy(&c.text).into_owned(),
            });
        }
    }
}

enum Escape {
    /// More bytes are needed.
    More,
    /// The escape stands for these bytes (UTF-8).
    Done(Vec<u8>),
}

/// Decodes the escape whose bytes after the backslash are `esc`.
fn decode_escape(esc: &[u8]) -> Escape {
    let utf8 = |c: u32| {
        let c = char::from_u32(c).unwrap_or('\u{FFFD}');
        Escape::Done(c.to_string().into_bytes())
    };
    let hex = |d: &[u8]| {
        std::str::from_utf8(d)
            .ok()
            .and_then(|s| u32::from_str_radix(s, 16).ok())
    };
    match esc {
        [b'x', rest @ ..] if rest.len() < 2 && rest.iter().all(u8::is_ascii_hexdigit) => {
            Escape::More
        }
        [b'x', d @ ..] if d.len() == 2 => hex(d).map_or_else(|| Escape::Done(esc.to_vec()), utf8),
        [b'u', b'{', rest @ ..] => match rest.last() {
            Some(b'}') => {
                hex(&rest[..rest.len() - 1]).map_or_else(|| Escape::Done(esc.to_vec()), utf8)
            }
            _ if rest.len() < 8 && rest.iter().all(u8::is_ascii_hexdigit) => Escape::More,
            _ => Escape::Done(esc.to_vec()),
        },
        [b'u', rest @ ..] if rest.len() < 4 && rest.iter().all(u8::is_ascii_hexdigit) => {
            Escape::More
        }
        [b'u', d @ ..] if d.len() == 4 => hex(d).map_or_else(|| Escape::Done(esc.to_vec()), utf8),
        // A line continuation stands for nothing (CRLF is one).
        [b'\r'] => Escape::More,
        [b'\r', b'\n'] | [b'\n'] => Escape::Done(Vec::new()),
        [b'\r', other] => {
            let v = vec![*other];
            Escape::Done(v)
        }
        [b'n'] => Escape::Done(b"\n".to_vec()),
        [b't'] => Escape::Done(b"\t".to_vec()),
        [b'r'] => Escape::Done(b"\r".to_vec()),
        [b'0'] => Escape::Done(vec![0]),
        [c] if *c < 0x80 => Escape::Done(vec![*c]),
        // A multi-byte character escaped for nothing: keep its bytes as
        // they come.
        _ => Escape::Done(esc.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(code: &str, chunk: usize) -> Vec<(u64, u64, String)> {
        let mut f = Folder::default();
        let mut out = Vec::new();
        for c in code.as_bytes().chunks(chunk) {
            f.feed(c, &mut out);
        }
        f.finish(&mut out);
        out.into_iter().map(|f| (f.start, f.end, f.text)).collect()
    }

    #[test]
    fn escapes_and_concatenation_fold() {
        for chunk in [1, 3, 1000] {
            let code = "s.src = 'https://connect.' + 'facebook.net/en_US/fbevents.js';";
            assert_eq!(
                fold(code, chunk),
                [(
                    8,
                    61,
                    "https://connect.facebook.net/en_US/fbevents.js".to_string()
                )]
            );
            let code = r"a='https://connect\x2efacebook\u002enet/\u{65}n_US/x.js'";
            assert_eq!(
                fold(code, chunk),
                [(2, 56, "https://connect.facebook.net/en_US/x.js".to_string())]
            );
            let code = "a='https://cdn.seg\\\nment.com/x.js'; b=\"x\\\r\ny\"";
            assert_eq!(
                fold(code, chunk),
                [
                    (2, 34, "https://cdn.segment.com/x.js".to_string()),
                    (38, 45, "xy".to_string())
                ]
            );
            let code = "a = `https://static.` /* c */ + // c\n \"hotjar.com/c/h.js\"";
            assert_eq!(
                fold(code, chunk),
                [(4, 57, "https://static.hotjar.com/c/h.js".to_string())]
            );
        }
    }

    #[test]
    fn plain_strings_and_other_code_fold_nothing() {
        assert_eq!(fold("a='plain'; b=\"also\" + x + 'y'", 7), []);
        assert_eq!(fold("a=`x${y}` + 'z'", 7), []);
        assert_eq!(fold("// 'a' + 'b'\n/* 'c' + 'd' */", 7), []);
        assert_eq!(fold("a='unterminated\n' + 'b'", 7), []);
        assert_eq!(fold("a = 'x' + + 'y'", 7), []);
        assert_eq!(fold("a = 'x' - 'y'", 7), []);
    }
}
