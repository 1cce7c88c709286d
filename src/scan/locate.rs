//! Bytes to lines and columns, and the excerpts diagnostics show.
//!
//! Scanners report byte ranges. [`locate`] makes one streaming pass over the
//! same bytes, only for files that have findings, and turns each range into
//! 1-based line and column (columns count characters of the decoded line,
//! so a Latin-1 or UTF-8 page reports what an editor shows) plus a window of
//! the line around it. Memory stays bounded however long a line is: a
//! megabyte of minified JavaScript yields a few hundred bytes of excerpt.
//!
//! Line breaks are `\n`, `\r\n` and a lone `\r`, as editors count them.
//!
//! It stays one file past 500 lines (about 75 of them tests) because line
//! breaks, column counting and excerpt capture are one streaming pass over
//! the same bytes.

use std::io::{self, Read};
use std::ops::Range;

use encoding_rs::{Decoder, Encoding, UTF_8};

use crate::finding::{Excerpt, Position};

/// Bytes of context kept on each side of a finding in its excerpt.
pub const WINDOW: usize = 80;
/// The most bytes an excerpt holds (a finding spanning many lines is cut).
const MAX_EXCERPT: usize = 4096;
/// Read size for streaming passes.
pub const CHUNK: usize = 64 * 1024;

/// A located byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// Where the range starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
    /// The text around it.
    pub excerpt: Excerpt,
}

/// Wraps a reader of a UTF-16 file (after its byte-order mark) so that it
/// yields UTF-8.
pub struct Utf16ToUtf8<R> {
    inner: R,
    decoder: Decoder,
    inbuf: Vec<u8>,
    pending: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Utf16ToUtf8<R> {
    /// Transcodes `inner`, which holds `encoding` (UTF-16LE or BE) text.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Utf16ToUtf8 {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            inbuf: vec![0; CHUNK],
            pending: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.pending.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.inbuf)?;
            self.eof = n == 0;
            let cap = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.pending.clear();
            self.pending.resize(cap, 0);
            self.pos = 0;
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.inbuf[..n], &mut self.pending, self.eof);
            self.pending.truncate(written);
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Counts the characters of a byte run in one encoding, across calls.
struct CharCounter {
    kind: CountKind,
}

enum CountKind {
    /// UTF-8: valid runs are counted directly; a run with invalid or cut
    /// sequences goes through the decoder, so each maximal invalid
    /// subsequence counts as the one U+FFFD an editor shows. The flag says
    /// a sequence was cut at the end of the last run.
    Utf8(Box<Decoder>, String, bool),
    SingleByte,
    Multi(Box<Decoder>, &'static Encoding, String),
}

impl CharCounter {
    fn new(enc: &'static Encoding) -> Self {
        let kind = if enc == UTF_8 {
            CountKind::Utf8(
                Box::new(UTF_8.new_decoder_without_bom_handling()),
                String::new(),
                false,
            )
        } else if enc.is_single_byte() {
            CountKind::SingleByte
        } else {
            CountKind::Multi(
                Box::new(enc.new_decoder_without_bom_handling()),
                enc,
                String::new(),
            )
        };
        CharCounter { kind }
    }

    fn count(&mut self, bytes: &[u8]) -> u64 {
        match &mut self.kind {
            CountKind::Utf8(dec, scratch, cut) => {
                if !*cut && let Ok(s) = std::str::from_utf8(bytes) {
                    return s.chars().count() as u64;
                }
                scratch.clear();
                scratch.reserve(bytes.len() * 3 + 8);
                let _ = dec.decode_to_string(bytes, scratch, false);
                *cut = ends_cut(bytes);
                scratch.chars().count() as u64
            }
            CountKind::SingleByte => bytes.len() as u64,
            CountKind::Multi(dec, _, scratch) => {
                scratch.clear();
                scratch.reserve(bytes.len() * 3 + 8);
                let _ = dec.decode_to_string(bytes, scratch, false);
                scratch.chars().count() as u64
            }
        }
    }

    /// Called where a range starts or ends, which is always a character
    /// boundary: a sequence cut just before it can never be completed, so
    /// it is the one U+FFFD a decoder shows. Returns the characters to add.
    fn settle(&mut self) -> u64 {
        match &mut self.kind {
            CountKind::Utf8(dec, _, cut) if *cut => {
                **dec = UTF_8.new_decoder_without_bom_handling();
                *cut = false;
                1
            }
            _ => 0,
        }
    }

    fn new_line(&mut self) {
        match &mut self.kind {
            CountKind::Multi(dec, enc, _) => **dec = enc.new_decoder_without_bom_handling(),
            CountKind::Utf8(dec, _, cut) => {
                **dec = UTF_8.new_decoder_without_bom_handling();
                *cut = false;
            }
            CountKind::SingleByte => {}
        }
    }
}

/// Whether `bytes` end inside a UTF-8 sequence that later bytes could
/// complete.
fn ends_cut(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(3)..];
    match tail.iter().rposition(|&b| (b as i8) >= -0x40) {
        Some(i) => {
            let need = match tail[i] {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 1,
            };
            tail.len() - i < need
        }
        None => false,
    }
}

struct Capture {
    bytes: Vec<u8>,
    label_start: usize,
    label_end: Option<usize>,
    /// Absolute offset at which the after-window ends.
    stop: Option<u64>,
    cut_start: bool,
    cut_end: bool,
    done: bool,
    line: u64,
}

/// Locates each range of `ranges` (byte offsets into the stream `r`, whose
/// text is in `enc`). Results come back in the order of `ranges`.
pub fn locate<R: Read>(
    mut r: R,
    enc: &'static Encoding,
    ranges: &[Range<u64>],
) -> io::Result<Vec<Located>> {
    let mut loc = Locator::new(enc, ranges);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut r, &mut buf)?;
        if n == 0 {
            break;
        }
        loc.feed(&buf[..n]);
    }
    // Ranges that end (or start) at the end of the stream.
    loc.fire_events();
    Ok(loc.finish())
}

/// The state of one [`locate`] pass.
struct Locator {
    enc: &'static Encoding,
    /// (offset, is_end, index), sorted. Ends sort after starts at one
    /// offset so an empty range opens before it closes.
    events: Vec<(u64, bool, usize)>,
    next_event: usize,
    starts: Vec<Position>,
    ends: Vec<Position>,
    captures: Vec<Option<Capture>>,
    /// Indices of captures still collecting bytes.
    active: Vec<usize>,
    counter: CharCounter,
    line: u64,
    /// Characters on this line before `pos`.
    col: u64,
    prev_cr: bool,
    /// The last bytes of this line, for the text before a finding.
    tail: Vec<u8>,
    tail_cut: bool,
    pos: u64,
}

impl Locator {
    fn new(enc: &'static Encoding, ranges: &[Range<u64>]) -> Self {
        let mut events = Vec::with_capacity(ranges.len() * 2);
        for (i, rg) in ranges.iter().enumerate() {
            events.push((rg.start, false, i));
            events.push((rg.end.max(rg.start), true, i));
        }
        events.sort_unstable();
        Locator {
            enc,
            events,
            next_event: 0,
            starts: vec![Position::default(); ranges.len()],
            ends: vec![Position::default(); ranges.len()],
            captures: (0..ranges.len()).map(|_| None).collect(),
            active: Vec::new(),
            counter: CharCounter::new(enc),
            line: 1,
            col: 0,
            prev_cr: false,
            tail: Vec::new(),
            tail_cut: false,
            pos: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        let n = chunk.len();
        let mut i = 0;
        while i < n {
            self.fire_events();
            let b = chunk[i];
            if b == b'\n' || b == b'\r' {
                self.line_break(b);
                i += 1;
                continue;
            }
            self.prev_cr = false;
            // A run of ordinary bytes up to the next line break or event.
            let mut end = memchr::memchr2(b'\n', b'\r', &chunk[i..]).map_or(n, |k| i + k);
            if let Some(&(e, _, _)) = self.events.get(self.next_event)
                && e < self.pos + (end - i) as u64
            {
                end = i + (e - self.pos) as usize;
            }
            self.plain(&chunk[i..end]);
            i = end;
        }
    }

    /// Handles every range that starts or ends at the current position.
    fn fire_events(&mut self) {
        while let Some(&(at, is_end, k)) = self.events.get(self.next_event) {
            if at > self.pos {
                break;
            }
            self.col += self.counter.settle();
            let here = Position {
                line: self.line,
                column: self.col + 1,
            };
            if is_end {
                self.ends[k] = here;
                if let Some(c) = self.captures[k].as_mut() {
                    c.label_end = Some(c.bytes.len());
                    c.stop = Some(self.pos + WINDOW as u64);
                }
            } else {
                self.starts[k] = here;
                let before = trim_partial_start(&self.tail, self.enc);
                self.captures[k] = Some(Capture {
                    label_start: before.len(),
                    cut_start: self.tail_cut || before.len() < self.tail.len(),
                    bytes: before.to_vec(),
                    label_end: None,
                    stop: None,
                    cut_end: false,
                    done: false,
                    line: self.line,
                });
                self.active.push(k);
            }
            self.next_event += 1;
        }
    }

    fn line_break(&mut self, b: u8) {
        if !(b == b'\n' && self.prev_cr) {
            self.line += 1;
        }
        self.prev_cr = b == b'\r';
        self.col = 0;
        self.counter.new_line();
        self.tail.clear();
        self.tail_cut = false;
        for &k in &self.active {
            let c = self.captures[k].as_mut().expect("active capture");
            if c.label_end.is_some() {
                c.done = true;
            } else if c.bytes.len() < MAX_EXCERPT {
                c.bytes.push(b'\n');
            }
        }
        self.retain_active();
        self.pos += 1;
    }

    /// Bytes with no line break and no event inside.
    fn plain(&mut self, run: &[u8]) {
        self.col += self.counter.count(run);
        for &k in &self.active {
            feed_capture(self.captures[k].as_mut().expect("active"), run, self.pos);
        }
        self.retain_active();
        push_tail(&mut self.tail, &mut self.tail_cut, run);
        self.pos += run.len() as u64;
    }

    fn retain_active(&mut self) {
        let captures = &self.captures;
        self.active
            .retain(|&k| !captures[k].as_ref().expect("active").done);
    }

    fn finish(mut self) -> Vec<Located> {
        let enc = self.enc;
        (0..self.starts.len())
            .map(|k| Located {
                start: self.starts[k],
                end: self.ends[k],
                excerpt: self.captures[k]
                    .take()
                    .map(|c| finish_excerpt(c, enc))
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// Reads until `buf` is full or the stream ends.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(k) => filled += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn feed_capture(c: &mut Capture, run: &[u8], pos: u64) {
    let room = MAX_EXCERPT.saturating_sub(c.bytes.len());
    let take = match c.stop {
        Some(stop) => (stop.saturating_sub(pos) as usize).min(run.len()),
        None => run.len(),
    };
    c.bytes.extend_from_slice(&run[..take.min(room)]);
    if c.stop.is_some() && take < run.len() {
        // More of the line follows the window.
        c.cut_end = true;
        c.done = true;
    } else if c.bytes.len() >= MAX_EXCERPT {
        c.cut_end = true;
        c.done = c.label_end.is_some();
    }
}

fn push_tail(tail: &mut Vec<u8>, cut: &mut bool, run: &[u8]) {
    if run.len() >= WINDOW {
        *cut |= !tail.is_empty() || run.len() > WINDOW;
        tail.clear();
        tail.extend_from_slice(&run[run.len() - WINDOW..]);
        return;
    }
    tail.extend_from_slice(run);
    if tail.len() > 2 * WINDOW {
        let drop = tail.len() - WINDOW;
        tail.drain(..drop);
        *cut = true;
    }
}

/// Drops a UTF-8 sequence cut in half at the start of a window.
fn trim_partial_start<'a>(bytes: &'a [u8], enc: &'static Encoding) -> &'a [u8] {
    let bytes = if bytes.len() > WINDOW {
        &bytes[bytes.len() - WINDOW..]
    } else {
        bytes
    };
    if enc == UTF_8 {
        let skip = bytes
            .iter()
            .take(3)
            .take_while(|&&b| (b as i8) < -0x40)
            .count();
        &bytes[skip..]
    } else {
        bytes
    }
}

fn finish_excerpt(c: Capture, enc: &'static Encoding) -> Excerpt {
    let label_end = c.label_end.unwrap_or(c.bytes.len()).min(c.bytes.len());
    let mut text = String::new();
    if c.cut_start {
        text.push('…');
    }
    push_decoded(&mut text, &c.bytes[..c.label_start], enc);
    let ls = text.len();
    push_decoded(&mut text, &c.bytes[c.label_start..label_end], enc);
    let le = text.len();
    push_decoded(&mut text, &c.bytes[label_end..], enc);
    if c.cut_end {
        text.push('…');
    }
    Excerpt {
        text,
        label: ls..le,
        line: c.line,
    }
}

/// Decodes for display, showing control characters as `�` so a terminal
/// is never driven by file content.
fn push_decoded(out: &mut String, bytes: &[u8], enc: &'static Encoding) {
    let (s, _) = enc.decode_without_bom_handling(bytes);
    out.extend(s.chars().map(|ch| {
        if ch.is_control() && ch != '\n' && ch != '\t' {
            '\u{FFFD}'
        } else {
            ch
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &[u8], enc: &'static Encoding, r: Range<u64>) -> Located {
        locate(text, enc, &[r]).unwrap().remove(0)
    }

    #[test]
    fn lines_and_columns_for_lf_crlf_and_cr() {
        let t = b"ab\ncd\r\nef\rgh";
        let p = |o| at(t, UTF_8, o..o + 1).start;
        assert_eq!(p(0), Position { line: 1, column: 1 });
        assert_eq!(p(4), Position { line: 2, column: 2 });
        assert_eq!(p(7), Position { line: 3, column: 1 });
        assert_eq!(p(11), Position { line: 4, column: 2 });
    }

    #[test]
    fn columns_count_characters() {
        let t = "é😀x".as_bytes();
        assert_eq!(at(t, UTF_8, 6..7).start.column, 3);
        let latin1 = b"caf\xE9 x";
        assert_eq!(at(latin1, encoding_rs::WINDOWS_1252, 5..6).start.column, 6);
        let sjis = b"\x82\xa0\x82\xa2x"; // あいx
        assert_eq!(at(sjis, encoding_rs::SHIFT_JIS, 4..5).start.column, 3);
    }

    #[test]
    fn invalid_utf8_counts_as_the_replacements_shown() {
        // An overlong `/` (C0 AF) decodes to two U+FFFD, a cut 3-byte
        // sequence (E2 82) to one.
        assert_eq!(at(b"\xC0\xAFx", UTF_8, 2..3).start.column, 3);
        assert_eq!(at(b"\xE2\x82x", UTF_8, 2..3).start.column, 2);
        // A valid character split across reads still counts once.
        let mut c = CharCounter::new(UTF_8);
        assert_eq!(c.count(b"a\xE2\x82"), 1);
        assert_eq!(c.count(b"\xACb"), 2);
    }

    #[test]
    fn excerpt_is_a_window_of_a_long_line() {
        let mut t = vec![b'a'; 200_000];
        t.extend_from_slice(b"NEEDLE");
        t.extend(vec![b'b'; 200_000]);
        let l = at(&t, UTF_8, 200_000..200_006);
        assert_eq!(
            l.start,
            Position {
                line: 1,
                column: 200_001
            }
        );
        assert_eq!(l.end.column, 200_007);
        assert_eq!(&l.excerpt.text[l.excerpt.label.clone()], "NEEDLE");
        assert!(l.excerpt.text.len() < 3 * WINDOW);
        assert!(l.excerpt.text.starts_with('…') && l.excerpt.text.ends_with('…'));
    }

    #[test]
    fn excerpt_of_a_short_line_is_the_line() {
        let l = at(b"x\n  <img src=\"//t.example/p\">\ny", UTF_8, 14..27);
        assert_eq!(l.excerpt.text, "  <img src=\"//t.example/p\">");
        assert_eq!(&l.excerpt.text[l.excerpt.label.clone()], "//t.example/p");
        assert_eq!(l.excerpt.line, 2);
    }

    #[test]
    fn utf16_is_transcoded() {
        let bytes: Vec<u8> = "<a>é".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut out = String::new();
        Utf16ToUtf8::new(&bytes[..], encoding_rs::UTF_16LE)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "<a>é");
    }
}
