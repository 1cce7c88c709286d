//! Scanning code: JavaScript files, bundles and inline scripts.
//!
//! Code is searched as bytes with the matcher's automatons, in a window that
//! slides over the stream: each step reports hits whose match starts in the
//! fresh part of the window and keeps enough bytes on both sides to grow a
//! host into its whole URL. Memory stays bounded on a 200 MB one-line bundle.
//!
//! Beside the bytes as written, the string expressions the engine would
//! build ([`super::jsfold`]: escapes decoded, literal concatenations
//! folded) are searched for vendor URLs, reported at the whole expression
//! unless the bytes as written already gave the same vendor there.
//!
//! Comments are not code: a hit that starts inside a `//` or `/* */`
//! comment ([`super::jslex`] finds them as the code streams past) is not a
//! finding.

use std::collections::HashSet;
use std::io::Read;
use std::ops::Range;

use super::jsfold::{Folded, Folder};
use super::jslex::JsLexer;
use super::{ScanContext, ScanError};
use crate::finding::RawFinding;
use crate::scan::locate::CHUNK;
use crate::vendors::{TextHit, TextHitKind};

/// Context kept after the reported part of a window: a URL's host and
/// path, and the rest of a snippet signature's match.
const KEEP_AHEAD: usize = crate::vendors::MAX_URL_CONTEXT;
/// Context kept before it: a host grown backwards, and its scheme.
const KEEP_BEHIND: usize = 512;

/// Scans a whole code stream.
pub fn scan(
    mut reader: impl Read,
    ctx: &ScanContext<'_>,
    out: &mut Vec<RawFinding>,
) -> Result<(), ScanError> {
    let mut stream = CodeStream::default();
    let identity = |o: u64| o;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            break;
        }
        stream.push(&buf[..n], ctx, &identity, out);
    }
    stream.finish(ctx, &identity, out);
    Ok(())
}

/// Maps an offset in a code stream to an offset in the file's stream.
pub type OffsetMap<'a> = &'a dyn Fn(u64) -> u64;

/// A sliding window over one unit of code (a file or an inline script).
///
/// A snippet signature repeated within one unit (`_hjSettings` read three
/// times by the Hotjar loader) is reported once, at its first occurrence;
/// every URL is reported.
#[derive(Default)]
pub struct CodeStream {
    window: Vec<u8>,
    /// Stream offset of `window[0]`.
    base: u64,
    /// Window index from which hits are still to be reported.
    from: usize,
    /// Window index up to which hits already cover the text.
    covered: usize,
    hits: Vec<TextHit>,
    /// (vendor, signature) of snippets already reported in this unit.
    seen: HashSet<(usize, String)>,
    /// String expressions as the engine reads them.
    folder: Folder,
    folded: Vec<Folded>,
    /// Recent findings in the bytes as written: (stream start, end,
    /// vendor), so a folded expression does not report a vendor again.
    written: Vec<(u64, u64, Option<usize>)>,
    /// Where the comments are.
    lexer: JsLexer,
    /// Comments that end after the part already reported, in order.
    comments: Vec<Range<u64>>,
}

impl CodeStream {
    /// Adds bytes, scanning what is far enough from the end.
    pub fn push(
        &mut self,
        bytes: &[u8],
        ctx: &ScanContext<'_>,
        map: OffsetMap<'_>,
        out: &mut Vec<RawFinding>,
    ) {
        self.window.extend_from_slice(bytes);
        self.folder.feed(bytes, &mut self.folded);
        self.lexer.feed_slice(bytes, &mut self.comments);
        if self.window.len() < self.from + KEEP_AHEAD + CHUNK {
            return;
        }
        let limit = self.window.len() - KEEP_AHEAD;
        self.scan_to(limit, ctx, map, out);
        let drop = limit - KEEP_BEHIND.min(limit);
        self.window.drain(..drop);
        self.base += drop as u64;
        self.from -= drop;
        self.covered = self.covered.saturating_sub(drop);
    }

    /// Scans the rest.
    pub fn finish(&mut self, ctx: &ScanContext<'_>, map: OffsetMap<'_>, out: &mut Vec<RawFinding>) {
        self.scan_to(self.window.len(), ctx, map, out);
        self.folder.finish(&mut self.folded);
        self.scan_folded(u64::MAX, ctx, map, out);
    }

    /// Searches the folded string expressions that end before stream
    /// offset `upto` (the bytes as written are scanned that far, so their
    /// findings are known) for vendor URLs.
    fn scan_folded(
        &mut self,
        upto: u64,
        ctx: &ScanContext<'_>,
        map: OffsetMap<'_>,
        out: &mut Vec<RawFinding>,
    ) {
        let ready = self.folded.iter().take_while(|f| f.end <= upto).count();
        let ready: Vec<Folded> = self.folded.drain(..ready).collect();
        for f in ready {
            if self.in_comment(f.start) {
                continue;
            }
            let text = f.text.as_bytes();
            let mut covered = 0;
            self.hits.clear();
            ctx.ruleset
                .matcher
                .scan_text(text, 0, text.len(), &mut covered, &mut self.hits);
            let (start, end) = (map(f.start), map(f.end));
            for h in self.hits.drain(..) {
                if !matches!(h.kind, TextHitKind::Url { .. }) {
                    continue;
                }
                let Some(mut finding) = ctx.text_finding(h, |_| start) else {
                    continue;
                };
                finding.end = end;
                // The bytes as written may have given this vendor here.
                let known = self
                    .written
                    .iter()
                    .any(|&(s, e, v)| v == finding.vendor && s < f.end && f.start < e);
                if !known {
                    out.push(finding);
                }
            }
        }
        // An expression still to come ends after `upto` and spans at most
        // this much source (an escape is at most 10 bytes a character), so
        // older findings cannot overlap it. (A longer comment between two
        // joined literals can only make a vendor reported twice.)
        let reach = 16 * super::jsfold::MAX_FOLDED as u64;
        self.written
            .retain(|&(_, e, _)| e.saturating_add(reach) >= upto);
    }

    fn scan_to(
        &mut self,
        limit: usize,
        ctx: &ScanContext<'_>,
        map: OffsetMap<'_>,
        out: &mut Vec<RawFinding>,
    ) {
        self.hits.clear();
        ctx.ruleset.matcher.scan_text(
            &self.window,
            self.from,
            limit,
            &mut self.covered,
            &mut self.hits,
        );
        let base = self.base;
        let mut hits = std::mem::take(&mut self.hits);
        for h in hits.drain(..) {
            let (s, e) = (base + h.range.start as u64, base + h.range.end as u64);
            if self.in_comment(s) {
                continue;
            }
            if let TextHitKind::Snippet {
                vendor, signature, ..
            } = &h.kind
                && !self.seen.insert((*vendor, signature.clone()))
            {
                continue;
            }
            if let Some(f) = ctx.text_finding(h, |o| map(base + o as u64)) {
                self.written.push((s, e, f.vendor));
                out.push(f);
            }
        }
        self.hits = hits;
        self.from = limit;
        self.scan_folded(self.base + limit as u64, ctx, map, out);
        // Later hits and expressions start at or after the folder's
        // oldest pending expression or the window's reported part.
        let done = self
            .folded
            .first()
            .map_or(self.base + limit as u64, |f| f.start)
            .min(self.base + limit as u64);
        self.comments.retain(|c| c.end > done);
    }

    /// Whether stream offset `at` is inside a comment.
    fn in_comment(&self, at: u64) -> bool {
        self.lexer.open_comment().is_some_and(|s| s <= at)
            || self.comments[..self.comments.partition_point(|c| c.start <= at)]
                .last()
                .is_some_and(|c| at < c.end)
    }
}
