//! Control characters shown, never sent: text from scanned files (file
//! names, URLs, excerpts, notes) can hold ESC sequences, BEL, CR or NUL,
//! which a terminal would obey, a workflow command would split on, and XML
//! cannot hold at all. Every format escapes them through this module, each
//! with its own helper on top (`terminal` here; GitHub's, XML's, Markdown's
//! and HTML's in their reporters).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

/// Whether `c` is a control character: C0, DEL or C1 (ESC, BEL, CR, NUL,
/// CSI U+009B, ...).
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Appends `c` as visible text: `\u{1b}`.
pub fn push_escaped(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// `s` with every control character except those in `keep` written as
/// `\u{…}`; borrowed when there is none.
pub fn visible<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_control(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) && !keep.contains(&c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of text for a terminal (a file name, a message, a note): every
/// control character escaped, newlines included.
pub fn terminal(s: &str) -> Cow<'_, str> {
    visible(s, &[])
}

/// Text of several lines for a terminal (a rendered error): controls
/// escaped except newlines and tabs.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    visible(s, &['\n', '\t'])
}

/// An excerpt for a terminal: lines and tabs kept, other controls escaped,
/// and `label` (byte offsets into `s`) moved to the same text in the
/// result.
pub fn terminal_excerpt(s: &str, label: Range<usize>) -> (String, Range<usize>) {
    let keep = ['\n', '\t'];
    let mut out = String::with_capacity(s.len());
    let (mut start, mut end) = (None, None);
    for (i, c) in s.char_indices() {
        if i >= label.start && start.is_none() {
            start = Some(out.len());
        }
        if i >= label.end && end.is_none() {
            end = Some(out.len());
        }
        if is_control(c) && !keep.contains(&c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end)
}

/// serde_json's pretty printer, also escaping DEL and the C1 controls
/// (U+007F to U+009F) that it leaves raw, as `\u00XX`: the JSON and SARIF
/// formats' helper.
pub struct JsonFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl Default for JsonFormatter<'_> {
    fn default() -> Self {
        JsonFormatter(serde_json::ser::PrettyFormatter::new())
    }
}

/// Serialises `value` as pretty JSON into `out`, controls escaped.
pub fn write_json<W: std::io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, JsonFormatter::default());
    value.serialize(&mut ser)
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)*)
        })*
    };
}

impl serde_json::ser::Formatter for JsonFormatter<'_> {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(is_control) {
            w.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or(' ');
            write!(w, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_text() {
        assert_eq!(
            terminal("a\x1b[31mb\n\r\x07\u{9b}c"),
            "a\\u{1b}[31mb\\u{a}\\u{d}\\u{7}\\u{9b}c"
        );
        assert!(matches!(terminal("plain é"), Cow::Borrowed(_)));
        assert_eq!(terminal_lines("a\n\tb\x00"), "a\n\tb\\u{0}");
        let (t, r) = terminal_excerpt("x\x1by<img>z", 3..8);
        assert_eq!(t, "x\\u{1b}y<img>z");
        assert_eq!(&t[r], "<img>");
        let mut out = Vec::new();
        write_json(&mut out, &["a\x1b\u{9b}\u{7f}"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\n  \"a\\u001b\\u009b\\u007f\"\n]"
        );
    }
}
