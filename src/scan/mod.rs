//! Scanning one file: pick the scanner, collect raw findings, then locate
//! them with a second streaming pass.
//!
//! It stays one file past 500 lines: the two passes over one file (scan,
//! then locate) share their reading set-up for in-memory, streamed, staged
//! and precompressed input.

pub mod css;
pub mod directive;
pub mod health_fields;
pub mod html;
pub mod js;
pub mod jsfold;
pub mod jslex;
pub mod locate;
pub mod template;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::config::HostSet;
use crate::finding::{Finding, RawFinding, SensitiveReason, Status};
use crate::input::read::{self, Compression, Decoding, FileKind};
use crate::rules::{self, Rule, Seen, Sink};
use crate::scan::directive::{Directive, DirectiveFinder, Tee};
use crate::scan::locate::Utf16ToUtf8;
use crate::scan::template::{Keep, Masked};
use crate::url::UrlParts;
use crate::vendors::{Ruleset, TextHit, TextHitKind};

/// Files up to this size are read once into memory; larger ones are
/// streamed (twice, if they have findings).
const IN_MEMORY_LIMIT: u64 = 4 * 1024 * 1024;
/// Bytes read to decide kind and encoding.
const HEAD: usize = 64 * 1024;
/// The most a precompressed file may decompress to (256 MiB): past it the
/// file is an error, so a compression bomb costs neither memory (the
/// decoded text is streamed like a large file) nor unbounded time.
pub const DECOMPRESSED_LIMIT: u64 = 256 * 1024 * 1024;

/// What every scanner needs to decide what a URL or snippet means.
pub struct ScanContext<'a> {
    /// Vendors and compiled patterns.
    pub ruleset: &'a Ruleset,
    /// Hosts the organisation controls.
    pub first_party: &'a HostSet,
    /// Honour inline `tracklint-ignore` comments (off with
    /// `--no-inline-ignores`).
    pub inline_ignores: bool,
    /// The files under `[sources] paths`: scanned as templates whatever
    /// their extension.
    pub sources: Option<&'a (dyn Fn(&Path) -> bool + Sync)>,
    /// Read form fields to find pages that ask for health information
    /// (`[sensitive] infer`, on by default).
    pub infer_sensitive: bool,
}

impl<'a> ScanContext<'a> {
    /// A context with inline suppressions honoured.
    pub fn new(ruleset: &'a Ruleset, first_party: &'a HostSet) -> Self {
        ScanContext {
            ruleset,
            first_party,
            inline_ignores: true,
            sources: None,
            infer_sensitive: true,
        }
    }
}

/// What the rules made of a URL in markup ([`ScanContext::judge_url`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    /// The rule that applies.
    pub rule: Rule,
    /// The vendor the finding names, if any.
    pub vendor: Option<usize>,
    /// Who runs the host, for a resource hint.
    pub owner: Option<String>,
    /// The finding's message.
    pub message: String,
}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileScan {
    /// Its findings, located, in stream order.
    pub findings: Vec<Finding>,
    /// Its inline suppression comments, located; the policy stage applies
    /// them ([`crate::policy::suppress`]).
    pub directives: Vec<Directive>,
    /// The file was binary and, not being named as HTML or code by its
    /// extension, was skipped.
    pub skipped_binary: bool,
    /// It was scanned as JavaScript (so a source map may say where its
    /// code came from).
    pub code: bool,
    /// Its forms ask for health information: why it is a sensitive page
    /// ([`health_fields`]).
    pub form: Option<SensitiveReason>,
}

/// Why a file could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file's encoding is not supported.
    #[error(transparent)]
    Encoding(#[from] read::UnsupportedEncoding),
    /// A limit was reached (nesting depth): the file was not fully
    /// checked.
    #[error("{0}")]
    Limit(String),
    /// The HTML parser cannot read this encoding.
    #[error("unsupported encoding {0}")]
    NotAsciiCompatible(&'static str),
    /// The HTML parser gave up.
    #[error("HTML parser error: {0}")]
    Html(String),
    /// A file that should be text holds binary data.
    #[error("{0}")]
    Binary(String),
}

impl ScanContext<'_> {
    /// Scans the file at `path` (shown as `display`): by its extension, or
    /// by its content when the extension is not a known one.
    pub fn scan_file(&self, path: &Path, display: &str) -> Result<FileScan, ScanError> {
        if let Some((compression, inner)) = read::compression(path) {
            return self.scan_compressed(path, &inner, compression, display);
        }
        let mut file = File::open(path)?;
        let len = file.metadata()?.len();
        let mut head = Vec::with_capacity(HEAD.min(len as usize + 1));
        (&mut file).take(HEAD as u64).read_to_end(&mut head)?;
        if let Some(skip) = binary(path, &head)? {
            return Ok(skip);
        }
        let kind = read::kind_for_explicit(path, &head);
        let decoding = read::detect(&head, kind)?;
        let template = self.is_template(kind, path);

        if len <= IN_MEMORY_LIMIT {
            let mut bytes = head;
            file.read_to_end(&mut bytes)?;
            self.scan_and_locate(&bytes, kind, template, decoding, display)
        } else {
            let reader = io::Cursor::new(head).chain(file);
            let reopen =
                || -> io::Result<Box<dyn Read>> { Ok(stream(File::open(path)?, decoding)) };
            let first = stream(reader, decoding);
            self.scan_and_locate_with(first, reopen, kind, template, decoding, display)
        }
    }

    /// Scans a precompressed file (`page.html.gz`, `app.js.br`,
    /// `app.js.zst`) as the file it is served as: its decoded text, as the
    /// kind of `inner` (its name without the compression extension).
    /// Positions are in the decoded text. Decoded text over
    /// [`IN_MEMORY_LIMIT`] is streamed, and decoded a second time to locate
    /// findings; a bad stream or one over [`DECOMPRESSED_LIMIT`] is an
    /// error.
    fn scan_compressed(
        &self,
        path: &Path,
        inner: &Path,
        compression: Compression,
        display: &str,
    ) -> Result<FileScan, ScanError> {
        let open = || -> io::Result<Box<dyn Read>> {
            decompress(compression, BufReader::new(File::open(path)?))
        };
        let mut decoded = open()?;
        let mut head = Vec::new();
        (&mut decoded).take(HEAD as u64).read_to_end(&mut head)?;
        if let Some(skip) = binary(path, &head)? {
            return Ok(skip);
        }
        let kind = read::kind_for_explicit(inner, &head);
        let decoding = read::detect(&head, kind)?;
        let template = self.is_template(kind, inner);
        let mut bytes = head;
        let more = IN_MEMORY_LIMIT + 1 - bytes.len() as u64;
        (&mut decoded).take(more).read_to_end(&mut bytes)?;
        if bytes.len() as u64 <= IN_MEMORY_LIMIT {
            self.scan_and_locate(&bytes, kind, template, decoding, display)
        } else {
            let first = stream(io::Cursor::new(bytes).chain(decoded), decoding);
            let reopen = || -> io::Result<Box<dyn Read>> { Ok(stream(open()?, decoding)) };
            self.scan_and_locate_with(first, reopen, kind, template, decoding, display)
        }
    }

    /// Scans bytes already in memory (tests, fuzzing, staged blobs) as
    /// `kind`, or by content when `kind` is `None`. A precompressed file
    /// (by `display`'s extension) is decoded first, up to
    /// [`DECOMPRESSED_LIMIT`].
    pub fn scan_blob(
        &self,
        bytes: &[u8],
        display: &str,
        kind: Option<FileKind>,
    ) -> Result<FileScan, ScanError> {
        if let Some((compression, _)) = read::compression(Path::new(display)) {
            let mut decoded = Vec::new();
            decompress(compression, bytes)?.read_to_end(&mut decoded)?;
            return self.scan_plain_blob(&decoded, display, kind);
        }
        self.scan_plain_blob(bytes, display, kind)
    }

    fn scan_plain_blob(
        &self,
        bytes: &[u8],
        display: &str,
        kind: Option<FileKind>,
    ) -> Result<FileScan, ScanError> {
        let head = &bytes[..bytes.len().min(HEAD)];
        if kind.is_none()
            && let Some(skip) = binary(Path::new(display), head)?
        {
            return Ok(skip);
        }
        let kind = kind.unwrap_or_else(|| read::kind_for_explicit(Path::new(display), head));
        let decoding = read::detect(head, kind)?;
        let template = self.is_template(kind, Path::new(display));
        self.scan_and_locate(bytes, kind, template, decoding, display)
    }

    /// Whether a file of `kind` at `path` is a template, whose expressions
    /// are opaque: HTML-like by a template extension, or under `[sources]`.
    fn is_template(&self, kind: FileKind, path: &Path) -> bool {
        kind == FileKind::Html
            && (read::is_template(path) || self.sources.is_some_and(|is_source| is_source(path)))
    }

    fn scan_and_locate(
        &self,
        bytes: &[u8],
        kind: FileKind,
        template: bool,
        decoding: Decoding,
        display: &str,
    ) -> Result<FileScan, ScanError> {
        let reopen = || -> io::Result<Box<dyn Read + '_>> { Ok(stream(bytes, decoding)) };
        let first = stream(bytes, decoding);
        self.scan_and_locate_with(first, reopen, kind, template, decoding, display)
    }

    /// The two passes: scan (watching for inline suppressions), then, if
    /// anything was found, locate everything in a second read. A template
    /// is scanned twice: its markup as HTML with the expressions blanked,
    /// then its expressions alone as code.
    fn scan_and_locate_with<'r>(
        &self,
        first: Box<dyn Read + 'r>,
        reopen: impl Fn() -> io::Result<Box<dyn Read + 'r>>,
        kind: FileKind,
        template: bool,
        decoding: Decoding,
        display: &str,
    ) -> Result<FileScan, ScanError> {
        let mut finder = DirectiveFinder::default();
        let first: Box<dyn Read + '_> = if self.inline_ignores {
            Box::new(Tee {
                inner: first,
                finder: &mut finder,
            })
        } else {
            first
        };
        let mut clues = Vec::new();
        let mut raw = if template {
            self.scan_stream_clues(Masked::new(first, Keep::Markup), kind, decoding, &mut clues)?
        } else {
            self.scan_stream_clues(first, kind, decoding, &mut clues)?
        };
        if template {
            let code = Masked::new(reopen()?, Keep::Expressions);
            raw.extend(self.scan_stream(code, FileKind::Js, decoding)?);
            raw.sort_by_key(|f| (f.start, f.end, f.rule));
        }
        let directives = finder.finish();
        if raw.is_empty() && directives.is_empty() && clues.is_empty() {
            return Ok(FileScan::default());
        }
        // The first health field's line is located with the findings.
        let first_clue = clues.first().map(|&(offset, _)| offset..offset);
        let ranges: Vec<_> = first_clue
            .iter()
            .cloned()
            .chain(raw.iter().map(|f| f.start..f.end))
            .chain(
                directives
                    .iter()
                    .map(directive::placeholder)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|f| f.start..f.end),
            )
            .collect();
        let mut located = locate::locate(reopen()?, decoding.encoding, &ranges)?.into_iter();
        let form = first_clue.and_then(|_| located.next()).map(|l| {
            let mut asks = Vec::new();
            for (_, c) in &clues {
                if !asks.contains(c) {
                    asks.push(*c);
                }
            }
            SensitiveReason {
                file: display.to_string(),
                reason: health_fields::reason(&asks),
                line: l.start.line,
            }
        });
        let to_finding = |f: RawFinding, l: locate::Located| Finding {
            severity: f.rule.severity(),
            rule: f.rule,
            vendor: f.vendor,
            owner: f.owner,
            file: display.to_string(),
            start: l.start,
            end: l.end,
            message: f.message,
            url: f.url,
            excerpt: l.excerpt,
            fingerprint: String::new(),
            origins: Vec::new(),
            origin_note: None,
            status: Status::Reported,
        };
        let findings: Vec<Finding> = raw
            .into_iter()
            .zip(located.by_ref())
            .map(|(f, l)| to_finding(f, l))
            .collect();
        let directives: Vec<Directive> = directives
            .into_iter()
            .zip(located)
            .map(|(d, l)| Directive {
                start: l.start,
                as_finding: to_finding(directive::placeholder(&d), l),
                raw: d,
            })
            .collect();
        Ok(FileScan {
            findings,
            directives,
            skipped_binary: false,
            code: kind == FileKind::Js,
            form,
        })
    }

    /// Scans a stream (already past any byte-order mark, in
    /// `decoding.encoding`) into raw findings sorted by position. The
    /// result does not depend on how `reader` splits its reads.
    pub fn scan_stream(
        &self,
        reader: impl Read,
        kind: FileKind,
        decoding: Decoding,
    ) -> Result<Vec<RawFinding>, ScanError> {
        self.scan_stream_clues(reader, kind, decoding, &mut Vec::new())
    }

    /// [`Self::scan_stream`], also adding to `clues` what an HTML page's
    /// form fields ask for.
    fn scan_stream_clues(
        &self,
        reader: impl Read,
        kind: FileKind,
        decoding: Decoding,
        clues: &mut html::FormClues,
    ) -> Result<Vec<RawFinding>, ScanError> {
        let mut raw = Vec::new();
        match kind {
            FileKind::Html => clues.extend(html::scan(reader, decoding.encoding, self, &mut raw)?),
            FileKind::Js => js::scan(reader, self, &mut raw)?,
        }
        raw.sort_by_key(|f| (f.start, f.end, f.rule));
        raw.dedup_by(|a, b| a.start == b.start && a.rule == b.rule && a.vendor == b.vendor);
        Ok(raw)
    }

    /// Decides what a URL found in HTML means, if anything: finds whose
    /// it is and asks the rules.
    pub fn judge_url(&self, sink: Sink, url: &UrlParts) -> Option<Judged> {
        let matcher = &self.ruleset.matcher;
        if sink == Sink::Preconnect {
            // A hint names a host: its owner always, a vendor only when the
            // whole host is the vendor's.
            let claim = matcher.claim(&url.host);
            let (rule, message) = rules::decide(&Seen::Hint { url, claim }, self.ruleset)?;
            let c = claim?;
            return Some(Judged {
                rule,
                vendor: c.whole.then_some(c.vendor),
                owner: Some(self.ruleset.vendors[c.vendor].owner().to_string()),
                message,
            });
        }
        let matched = matcher.resolve(&url.host, &url.path);
        let seen = Seen::MarkupUrl {
            sink,
            url,
            matched,
            first_party: self.first_party.contains(&url.host),
            owner: if matched.is_none() {
                matcher.owner(&url.host)
            } else {
                None
            },
        };
        let (rule, message) = rules::decide(&seen, self.ruleset)?;
        Some(Judged {
            rule,
            vendor: matched.map(|m| m.vendor),
            owner: None,
            message,
        })
    }

    /// Turns a hit in code into a raw finding, if a rule says it is one;
    /// `map` converts an offset in the scanned text to an offset in the
    /// file's stream.
    pub fn text_finding(&self, hit: TextHit, map: impl Fn(usize) -> u64) -> Option<RawFinding> {
        let (seen, vendor, url) = match &hit.kind {
            TextHitKind::Url { matched, url } => (
                Seen::CodeUrl {
                    url,
                    matched: *matched,
                },
                matched.vendor,
                Some(url),
            ),
            TextHitKind::Snippet {
                vendor,
                consent,
                signature,
            } => (
                Seen::Snippet {
                    vendor: *vendor,
                    consent: *consent,
                    signature,
                },
                *vendor,
                None,
            ),
        };
        let (rule, message) = rules::decide(&seen, self.ruleset)?;
        Some(RawFinding {
            rule,
            vendor: Some(vendor),
            owner: None,
            start: map(hit.range.start),
            end: map(hit.range.end),
            message,
            url: url.map(UrlParts::display),
        })
    }
}

/// Binary content: an error when the extension says the file is HTML or
/// code (a compressed or mislabelled file could hide anything), else a
/// skip to count.
fn binary(path: &Path, head: &[u8]) -> Result<Option<FileScan>, ScanError> {
    let Some(what) = read::sniff_binary(head) else {
        return Ok(None);
    };
    if read::kind_for_extension(path).is_some() {
        return Err(ScanError::Binary(format!(
            "the file holds {what}, not text: it cannot be scanned"
        )));
    }
    Ok(Some(FileScan {
        skipped_binary: true,
        ..FileScan::default()
    }))
}

/// A file's text as the scanners read it, from its raw bytes: decompressed
/// when `name` is a precompressed file's, its kind (`kind`, else by name
/// and content), decoded to UTF-8 when it is UTF-16. Also returns the
/// name it is served as (without a compression extension). `None` when
/// the scanners could not have read it either.
pub fn open_text<'a>(
    raw: impl Read + 'a,
    name: &Path,
    kind: Option<FileKind>,
) -> Option<(Box<dyn Read + 'a>, FileKind, std::path::PathBuf)> {
    let (mut text, inner): (Box<dyn Read + 'a>, _) = match read::compression(name) {
        Some((c, inner)) => (decompress(c, BufReader::new(raw)).ok()?, inner),
        None => (Box::new(raw), name.to_path_buf()),
    };
    let mut head = Vec::new();
    (&mut text).take(HEAD as u64).read_to_end(&mut head).ok()?;
    let kind = kind.unwrap_or_else(|| read::kind_for_explicit(&inner, &head));
    let decoding = read::detect(&head, kind).ok()?;
    Some((
        stream(io::Cursor::new(head).chain(text), decoding),
        kind,
        inner,
    ))
}

/// The decoded text of a precompressed stream, at most
/// [`DECOMPRESSED_LIMIT`] bytes. Errors say which format was bad.
fn decompress<'a, R: BufRead + 'a>(c: Compression, r: R) -> io::Result<Box<dyn Read + 'a>> {
    let decoder: Box<dyn Read + 'a> = match c {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(r)),
        Compression::Brotli => Box::new(brotli_decompressor::Decompressor::new(r, 64 * 1024)),
        Compression::Zstd => Box::new(ZstdFrames::new(r).map_err(|e| bad_stream(c, &e))?),
    };
    Ok(Box::new(Decompressed {
        inner: decoder,
        compression: c,
        left: DECOMPRESSED_LIMIT,
    }))
}

fn bad_stream(c: Compression, e: &dyn std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("not a valid {} stream: {e}", c.name()),
    )
}

/// A decoder's output, with its errors named and its size bounded.
struct Decompressed<'a> {
    inner: Box<dyn Read + 'a>,
    compression: Compression,
    left: u64,
}

impl Read for Decompressed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .inner
            .read(buf)
            .map_err(|e| bad_stream(self.compression, &e))?;
        if n as u64 > self.left {
            return Err(io::Error::other(format!(
                "it decompresses to more than {} MiB, the limit for a precompressed file",
                DECOMPRESSED_LIMIT / (1024 * 1024)
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Every frame of a zstd stream (frames may be concatenated).
struct ZstdFrames<R: BufRead> {
    current: Option<ruzstd::decoding::StreamingDecoder<R, ruzstd::decoding::FrameDecoder>>,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(r: R) -> Result<Self, ruzstd::decoding::errors::FrameDecoderError> {
        Ok(ZstdFrames {
            current: Some(ruzstd::decoding::StreamingDecoder::new(r)?),
        })
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(mut frame) = self.current.take() else {
                return Ok(0);
            };
            let n = match frame.read(buf) {
                Ok(n) => n,
                Err(e) => {
                    self.current = Some(frame);
                    return Err(e);
                }
            };
            if n > 0 || buf.is_empty() {
                self.current = Some(frame);
                return Ok(n);
            }
            let (mut source, decoder) = frame.into_parts();
            if source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            // The next frame (its header is read here).
            self.current = Some(
                ruzstd::decoding::StreamingDecoder::new_with_decoder(source, decoder)
                    .map_err(io::Error::other)?,
            );
        }
    }
}

/// The stream scanners and the locator read: the file's bytes after any
/// byte-order mark, transcoded to UTF-8 if the file is UTF-16.
pub fn stream<'a, R: Read + 'a>(mut r: R, d: Decoding) -> Box<dyn Read + 'a> {
    if d.bom_len > 0 {
        let mut bom = vec![0; d.bom_len];
        // A short read means an empty stream, which the scanners handle.
        let _ = r.read_exact(&mut bom);
    }
    match d.from_utf16 {
        Some(enc) => Box::new(Utf16ToUtf8::new(r, enc)),
        None => Box::new(r),
    }
}
