//! Scanning HTML and HTML-like templates with lol_html.
//!
//! Every attribute a browser fetches from without a click is read: script,
//! link, image, media, frame, object, embed, SVG `<script>`, `<image>` and
//! `<feImage>` `href`s, `background`,
//! `style` attributes and `<style>` blocks (`url()`, `@import`,
//! `image-set()`), `srcset`s, lazy-load attributes, `<a ping>`,
//! `<meta http-equiv=refresh>`, form actions, every `on*` event handler
//! (as code), `javascript:` URLs (as code), `data:` documents and scripts,
//! and `<iframe srcdoc>` (as a nested document). URLs resolve against the
//! first `<base href>`. Text that a browser shows — prose, `<pre>`
//! samples, comments, `<a href>` links — is never searched.
//!
//! Offsets: lol_html reports byte ranges into its input. A `<noscript>`
//! body arrives as raw text and is scanned by a nested parser whose offsets
//! are mapped back through [`TextBuf`]; every handler therefore works at a
//! [`Level`] that knows its text encoding and how to reach file offsets.
//!
//! It stays one file past 500 lines because its lol_html handlers for every
//! element are one state machine (`State`, `Level`, the raw window and the
//! nested `<noscript>` parser) that splitting would only spread out.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use lol_html::errors::RewritingError;
use lol_html::html_content::{Element, TextChunk};
use lol_html::{AsciiCompatibleEncoding, HtmlRewriter, Settings, element, text};

use super::css;
use super::health_fields::{self, Category};
use super::js::CodeStream;
use super::{ScanContext, ScanError};
use crate::finding::RawFinding;
use crate::rules::{self, Seen, Sink};
use crate::scan::locate::CHUNK;
use crate::url::{self, UrlParts};

/// The most memory lol_html may use for one document's buffers.
const PARSER_MEMORY: usize = 256 * 1024 * 1024;

/// How deep nested documents are followed (`<noscript>` in `<noscript>`,
/// `srcdoc` and `data:` documents in each other); deeper is an error, never
/// a silent skip.
const MAX_DEPTH: usize = 16;

/// Every element: one cheap handler that looks at a few attribute names is
/// faster than lol_html matching a list of attribute selectors
/// (`[style]`, `[srcset]`, `[onclick]`, …) on every start tag.
const SELECTOR: &str = "*";

/// Elements that load a resource (or send a form) by their own attributes.
fn loads_resource(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "link"
            | "img"
            | "iframe"
            | "frame"
            | "embed"
            | "object"
            | "source"
            | "video"
            | "audio"
            | "track"
            | "input"
            | "image"
            | "feimage"
            | "base"
            | "meta"
            | "form"
            | "button"
    )
}

/// Attributes that load something on any element.
fn loads_on_any_element(name: &str) -> bool {
    matches!(
        name,
        "style"
            | "srcset"
            | "data-srcset"
            | "data-src"
            | "data-lazy-src"
            | "ping"
            | "background"
            | "href"
    ) || is_event_handler(name)
}

/// Whether an attribute is an event handler (`onload`, `onpageshow`,
/// `ontoggle`, SVG `onbegin`, …): its value runs as code.
fn is_event_handler(name: &str) -> bool {
    name.len() > 2 && name.starts_with("on") && name[2..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// What a `data:` URL in an attribute can be: a document (frames,
/// objects) or a script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Embeds {
    Nothing,
    Document,
    Script,
}

/// The most text of one `<label>` read for health words.
const LABEL_TEXT: usize = 256;

/// Where a page's form fields ask for health information: each category
/// with the file offset of the field (or `<label>`) that asks for it, in
/// document order ([`health_fields`]).
pub type FormClues = Vec<(u64, Category)>;

/// Scans an HTML stream whose bytes are in `enc`; with
/// [`ScanContext::infer_sensitive`], returns what its form fields ask for.
pub fn scan(
    mut reader: impl Read,
    enc: &'static Encoding,
    ctx: &ScanContext<'_>,
    out: &mut Vec<RawFinding>,
) -> Result<FormClues, ScanError> {
    let identity = |o: usize| o as u64;
    let level = Level {
        enc,
        map: &identity,
        depth: 0,
    };
    let mut buf = vec![0u8; CHUNK];
    run(&level, ctx, &url::document_base(), out, |write| {
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            write(&buf[..n])?;
        }
    })
}

/// The parser's recent input, so text can be scanned as the bytes it was:
/// lol_html hands text over decoded, with a decoder that may carry a
/// character from one chunk into the next and writes U+FFFD for NUL and
/// invalid bytes, so decoded offsets do not map back exactly.
#[derive(Default)]
struct RawWindow {
    /// Parser-input offset of `bytes[0]`.
    base: usize,
    bytes: Vec<u8>,
}

impl RawWindow {
    fn get(&self, r: std::ops::Range<usize>) -> Option<&[u8]> {
        let s = r.start.checked_sub(self.base)?;
        let e = r.end.checked_sub(self.base)?;
        self.bytes.get(s..e)
    }

    /// Drops bytes before `keep`.
    fn trim(&mut self, keep: usize) {
        if keep > self.base {
            let drop = (keep - self.base).min(self.bytes.len());
            self.bytes.drain(..drop);
            self.base += drop;
        }
    }
}

/// Bytes of input kept behind the newest chunk: more than lol_html holds
/// back to recognise an end tag.
const RAW_TAIL: usize = 4096;

/// Where a parser's offsets live: the encoding of its input and the map
/// from its offsets to offsets in the file's stream.
struct Level<'a> {
    enc: &'static Encoding,
    map: &'a dyn Fn(usize) -> u64,
    depth: usize,
}

impl Level<'_> {
    /// The file offset of byte `i` of `value`, a decoded string that starts
    /// at level offset `start`.
    fn offset_in(&self, start: usize, value: &str, i: usize) -> u64 {
        (self.map)(start + encoded_len(self.enc, value, i))
    }
}

/// How inline script text is treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScriptMode {
    Code,
    /// JSON-LD: structured data whose `sameAs` links are not tracking.
    Skip,
}

struct State<'c, 's> {
    ctx: &'c ScanContext<'s>,
    found: Vec<RawFinding>,
    script_mode: ScriptMode,
    script: TextBuf,
    noscript: TextBuf,
    style: TextBuf,
    raw: RawWindow,
    /// What relative URLs resolve against: the page, or its first
    /// `<base href>`.
    base: url::Url,
    /// Whether a `<base href>` was seen (only the first counts).
    base_set: bool,
    /// A nested document went deeper than [`MAX_DEPTH`].
    too_deep: bool,
    /// Health clues of the page's own form fields (not of nested
    /// documents): see [`form_field`].
    fields: FormClues,
    /// Health clues of its `<label>`s' text: they count once the page has
    /// a field that is not a search box (`has_field`).
    labels: FormClues,
    has_field: bool,
    /// The `<label>` being read: its file offset and text so far.
    label: Option<(u64, String)>,
}

/// Runs one parser over input fed by `feed`, then flushes unterminated text.
fn run(
    level: &Level<'_>,
    ctx: &ScanContext<'_>,
    base: &url::Url,
    out: &mut Vec<RawFinding>,
    feed: impl FnOnce(&mut dyn FnMut(&[u8]) -> Result<(), ScanError>) -> Result<(), ScanError>,
) -> Result<FormClues, ScanError> {
    if level.depth > MAX_DEPTH {
        return Err(ScanError::Limit(format!(
            "documents nested more than {MAX_DEPTH} deep (<noscript>, srcdoc or data: documents): \
             the file cannot be checked"
        )));
    }
    let state = RefCell::new(State {
        ctx,
        found: Vec::new(),
        script_mode: ScriptMode::Code,
        script: TextBuf::default(),
        noscript: TextBuf::default(),
        style: TextBuf::default(),
        raw: RawWindow::default(),
        base: base.clone(),
        base_set: false,
        too_deep: false,
        fields: Vec::new(),
        labels: Vec::new(),
        has_field: false,
        label: None,
    });
    // Only the page's own forms are read, and only when asked.
    let forms = level.depth == 0 && ctx.infer_sensitive;
    let encoding = AsciiCompatibleEncoding::new(level.enc)
        .ok_or(ScanError::NotAsciiCompatible(level.enc.name()))?;
    let mut settings = Settings::new()
        .with_strict(false)
        .with_encoding(encoding)
        // A bound on the parser's buffers (a huge tag or attribute is held
        // whole): past it the file is an error, not an out-of-memory crash.
        .with_memory_settings(
            lol_html::MemorySettings::new().with_max_allowed_memory_usage(PARSER_MEMORY),
        )
        .append_element_content_handler(element!(SELECTOR, |el| {
            on_element(el, level, &mut state.borrow_mut());
            Ok(())
        }))
        .append_element_content_handler(text!("script", |t| {
            on_script_text(t, level, &mut state.borrow_mut());
            Ok(())
        }))
        .append_element_content_handler(text!("noscript", |t| {
            on_noscript_text(t, level, &mut state.borrow_mut())
        }))
        .append_element_content_handler(text!("style", |t| {
            on_style_text(t, level, &mut state.borrow_mut());
            Ok(())
        }));
    if forms {
        settings = settings.append_element_content_handler(text!("label", |t| {
            on_label_text(t, &mut state.borrow_mut());
            Ok(())
        }));
    }
    let sink: fn(&[u8]) = |_| {};
    let mut rw = HtmlRewriter::new(settings, sink);
    let mut fed = 0;
    feed(&mut |chunk: &[u8]| {
        state.borrow_mut().raw.bytes.extend_from_slice(chunk);
        fed += chunk.len();
        rw.write(chunk).map_err(html_error)?;
        let mut st = state.borrow_mut();
        // Keep what text still being gathered may need, and a tail.
        let keep = [st.script.raw_start, st.noscript.raw_start]
            .into_iter()
            .flatten()
            .chain(std::iter::once(
                fed.saturating_sub(chunk.len().max(RAW_TAIL)),
            ))
            .min()
            .unwrap_or(0);
        st.raw.trim(keep);
        Ok(())
    })?;
    rw.end().map_err(html_error)?;
    let mut st = state.into_inner();
    // An unterminated <script> or <noscript> at end of input is still scanned.
    if !st.script.text.is_empty() {
        flush_script(level, &mut st);
    }
    if !st.noscript.text.is_empty() {
        flush_noscript(level, &mut st).map_err(html_error)?;
    }
    if !st.style.text.is_empty() {
        flush_style(level, &mut st);
    }
    if st.too_deep {
        return Err(ScanError::Limit(format!(
            "documents nested more than {MAX_DEPTH} deep (<noscript>, srcdoc or data: documents): \
             the file cannot be checked"
        )));
    }
    out.append(&mut st.found);
    if !forms {
        return Ok(Vec::new());
    }
    flush_label(&mut st);
    let mut clues = st.fields;
    if st.has_field {
        clues.append(&mut st.labels);
        clues.sort_by_key(|&(offset, _)| offset);
    }
    Ok(clues)
}

fn html_error(e: RewritingError) -> ScanError {
    match e {
        RewritingError::ContentHandlerError(inner) => match inner.downcast::<ScanError>() {
            Ok(se) => *se,
            Err(other) => ScanError::Html(other.to_string()),
        },
        other => ScanError::Html(other.to_string()),
    }
}

fn on_element(el: &Element<'_, '_>, level: &Level<'_>, st: &mut State<'_, '_>) {
    let tag = el.tag_name();
    let el_start = el.source_location().bytes().start;
    let ctx = st.ctx;

    if tag == "script" {
        st.script_mode = ScriptMode::Code;
    }
    if level.depth == 0
        && ctx.infer_sensitive
        && matches!(tag.as_str(), "input" | "select" | "textarea" | "label")
    {
        form_field(el, &tag, el_start as u64, st);
    }
    let mut rel = String::new();
    let mut as_ = String::new();
    let mut refresh = false;
    if matches!(tag.as_str(), "link" | "meta") {
        for a in el.attributes() {
            match a.name().as_str() {
                "rel" => rel = a.value().to_ascii_lowercase(),
                "as" => as_ = a.value().trim().to_ascii_lowercase(),
                "http-equiv" => refresh = a.value().trim().eq_ignore_ascii_case("refresh"),
                _ => {}
            }
        }
    }
    let link_sink = || {
        let has = |t: &str| rel.split_ascii_whitespace().any(|r| r == t);
        if has("modulepreload") || ((has("preload") || has("prefetch")) && as_ == "script") {
            Some(Sink::Script)
        } else if has("preconnect") || has("dns-prefetch") {
            Some(Sink::Preconnect)
        } else if [
            "stylesheet",
            "preload",
            "prefetch",
            "icon",
            "apple-touch-icon",
            "apple-touch-icon-precomposed",
            "manifest",
            "mask-icon",
        ]
        .iter()
        .any(|r| has(r))
        {
            Some(Sink::Pixel)
        } else {
            None
        }
    };
    let frame = matches!(tag.as_str(), "iframe" | "frame" | "embed" | "object");
    let loads = loads_resource(&tag);

    for a in el.attributes() {
        let name = a.name();
        // Most attributes of most elements cannot load anything: skip them
        // before copying their value.
        if !loads && !loads_on_any_element(&name) {
            continue;
        }
        let value = a.value();
        let start = a
            .value_source_location()
            .map_or(el_start, |l| l.bytes().start);
        let attr = Attr {
            level,
            start,
            value: &value,
        };
        if let Some(m) = loads
            .then(|| ctx.ruleset.matcher.consent_attribute(&name, &value))
            .flatten()
            && let Some((rule, message)) = rules::decide(
                &Seen::ConsentAttribute {
                    tag: &tag,
                    vendor: m.vendor,
                    pattern: &m.pattern,
                },
                ctx.ruleset,
            )
        {
            let (s, e) = match a.value_source_location() {
                Some(l) => (l.bytes().start, l.bytes().end),
                None => a
                    .name_source_location()
                    .map_or((el_start, el_start), |l| (l.bytes().start, l.bytes().end)),
            };
            st.found.push(RawFinding {
                rule,
                vendor: Some(m.vendor),
                owner: None,
                start: (level.map)(s),
                end: (level.map)(e),
                message,
                url: None,
            });
        }
        match (tag.as_str(), name.as_str()) {
            ("base", "href") if !st.base_set => {
                st.base_set = true;
                let decoded = url::decode_entities(&value);
                if let Ok(b) = url::Url::options().base_url(Some(&st.base)).parse(&decoded) {
                    st.base = b;
                }
            }
            ("script", "src" | "href" | "xlink:href") => {
                whole(st, &attr, Sink::Script, Embeds::Script);
            }
            ("script", "type") if value.trim().eq_ignore_ascii_case("application/ld+json") => {
                st.script_mode = ScriptMode::Skip;
            }
            ("link", "href") => {
                if let Some(sink) = link_sink() {
                    whole(st, &attr, sink, Embeds::Nothing);
                }
            }
            ("link", "imagesrcset") => {
                for r in srcset_urls(&value) {
                    check_part(st, &attr, Sink::Pixel, r);
                }
            }
            ("iframe", "srcdoc") => srcdoc(st, &attr),
            (_, "src" | "data-src" | "data-lazy-src") if frame => {
                whole(st, &attr, Sink::Frame, Embeds::Document);
            }
            ("object", "data") => whole(st, &attr, Sink::Frame, Embeds::Document),
            ("img" | "source" | "video" | "audio" | "track" | "input", "src" | "poster")
            | (_, "data-src" | "data-lazy-src") => whole(st, &attr, Sink::Pixel, Embeds::Nothing),
            // Not `<use href>`: Chromium makes no request for another
            // origin's SVG (the oracle's inert/svg-use-cross-origin.html).
            ("image" | "feimage", "href" | "xlink:href") | (_, "background") => {
                whole(st, &attr, Sink::Pixel, Embeds::Nothing);
            }
            ("meta", "content") if refresh => {
                if let Some(r) = refresh_url(&value) {
                    check_part(st, &attr, Sink::Frame, r);
                }
            }
            ("form", "action") | ("button" | "input", "formaction") => {
                whole(st, &attr, Sink::Form, Embeds::Nothing);
            }
            (_, "href") => {
                javascript_url(st, &attr);
            }
            (_, "srcset" | "data-srcset") => {
                for r in srcset_urls(&value) {
                    check_part(st, &attr, Sink::Pixel, r);
                }
            }
            (_, "style") => style_attribute(st, &attr),
            // `<a ping>` sends a beacon to each listed URL on click.
            (_, "ping") => {
                for r in token_ranges(&value) {
                    check_part(st, &attr, Sink::Pixel, r);
                }
            }
            (_, n) if is_event_handler(n) => {
                let map = |o: u64| level.offset_in(start, &value, o as usize);
                let mut code = CodeStream::default();
                code.push(value.as_bytes(), ctx, &map, &mut st.found);
                code.finish(ctx, &map, &mut st.found);
            }
            _ => {}
        }
    }
}

/// A form field or `<label>` of the page: what health information it asks
/// for, by its `name`, `id`, `autocomplete`, `placeholder` and `aria-label`
/// (a label's text arrives later, in [`on_label_text`]).
///
/// Not every field asks the visitor something: hidden fields (form-builder
/// plumbing: `form-name`, honeypots, a CMS's ids) and buttons are
/// skipped, and so are search boxes (`type=search`, or named `q`,
/// `search`, `doctor-search`…): a site-wide header search ("Search
/// doctors, services…") would otherwise make every page sensitive.
fn form_field(el: &Element<'_, '_>, tag: &str, offset: u64, st: &mut State<'_, '_>) {
    if tag == "label" {
        flush_label(st);
        st.label = Some((offset, String::new()));
        return;
    }
    if tag == "input"
        && let Some(t) = el.get_attribute("type")
        && matches!(
            t.trim().to_ascii_lowercase().as_str(),
            "hidden" | "submit" | "button" | "reset" | "image" | "search"
        )
    {
        return;
    }
    let mut values = Vec::new();
    for a in el.attributes() {
        let name = a.name();
        if !matches!(
            name.as_str(),
            "name" | "id" | "autocomplete" | "placeholder" | "aria-label"
        ) {
            continue;
        }
        let value = a.value();
        if matches!(name.as_str(), "name" | "id") && health_fields::is_search_name(&value) {
            return;
        }
        values.push(value);
    }
    st.has_field = true;
    let mut asks = Vec::new();
    for v in &values {
        health_fields::classify(&url::decode_entities(v), &mut asks);
    }
    st.fields.extend(asks.into_iter().map(|c| (offset, c)));
}

/// Text inside a `<label>`, up to [`LABEL_TEXT`] bytes of it.
fn on_label_text(t: &TextChunk<'_>, st: &mut State<'_, '_>) {
    if let Some((_, text)) = &mut st.label
        && text.len() < LABEL_TEXT
    {
        let chunk = t.as_str();
        let mut room = (LABEL_TEXT - text.len()).min(chunk.len());
        while !chunk.is_char_boundary(room) {
            room -= 1;
        }
        text.push_str(&chunk[..room]);
        if t.last_in_text_node() {
            text.push(' ');
        }
    }
}

/// Classifies the text of the `<label>` read so far.
fn flush_label(st: &mut State<'_, '_>) {
    if let Some((offset, text)) = st.label.take() {
        let mut asks = Vec::new();
        health_fields::classify(&url::decode_entities(&text), &mut asks);
        st.labels.extend(asks.into_iter().map(|c| (offset, c)));
    }
}

/// An attribute value and where it is.
struct Attr<'a, 'l> {
    level: &'a Level<'l>,
    /// Level offset of the value's first byte.
    start: usize,
    /// The value, as lol_html decoded it from the document's encoding
    /// (character references still in it).
    value: &'a str,
}

impl Attr<'_, '_> {
    /// File offsets of the whole value.
    fn span(&self) -> (u64, u64) {
        let end = self.start + encoded_len(self.level.enc, self.value, self.value.len());
        ((self.level.map)(self.start), (self.level.map)(end))
    }
}

/// A URL attribute whose whole value is one URL: fetched as `sink`, or, as
/// a `javascript:` URL, run as code, or, as a `data:` URL, loaded as what
/// `embeds` says the element can hold.
fn whole(st: &mut State<'_, '_>, attr: &Attr<'_, '_>, sink: Sink, embeds: Embeds) {
    if javascript_url(st, attr) {
        return;
    }
    let decoded = url::decode_entities(attr.value);
    if embeds != Embeds::Nothing && data_url(st, attr, &decoded, embeds) {
        return;
    }
    if let Some(u) = url::resolve(&decoded, &st.base) {
        let (s, e) = attr.span();
        push_url(st, sink, &u, s, e);
    }
}

/// Checks the URL at `r` inside an attribute value.
fn check_part(st: &mut State<'_, '_>, attr: &Attr<'_, '_>, sink: Sink, r: std::ops::Range<usize>) {
    let decoded = url::decode_entities(&attr.value[r.clone()]);
    if let Some(u) = url::resolve(&decoded, &st.base) {
        let s = attr.level.offset_in(attr.start, attr.value, r.start);
        let e = attr.level.offset_in(attr.start, attr.value, r.end);
        push_url(st, sink, &u, s, e);
    }
}

/// A `style` attribute: its value, character references decoded as the
/// HTML tokenizer decodes them, is CSS (`url(&quot;…&quot;)` is a quoted
/// URL); each URL it fetches is reported at its source text, mapped back
/// through both decodings.
fn style_attribute(st: &mut State<'_, '_>, attr: &Attr<'_, '_>) {
    // Most values hold no reference: no map to build then.
    let (css_text, map) = if attr.value.contains('&') {
        let (text, map) = url::decode_entities_mapped(attr.value);
        (Cow::Owned(text), Some(map))
    } else {
        (Cow::Borrowed(attr.value), None)
    };
    let raw = |o: usize| map.as_ref().map_or(o, |m| m[o]);
    for u in css::urls(&css_text) {
        if let Some(parts) = url::resolve(&u.value, &st.base) {
            let s = attr
                .level
                .offset_in(attr.start, attr.value, raw(u.span.start));
            let e = attr
                .level
                .offset_in(attr.start, attr.value, raw(u.span.end));
            push_url(st, Sink::Pixel, &parts, s, e);
        }
    }
}

/// The scheme of a URL as a browser reads it (C0 and spaces trimmed, tabs
/// and line breaks removed), lowercased, and the rest.
fn scheme_of(decoded: &str) -> Option<(String, String)> {
    let cleaned = url::cleaned(decoded);
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    (!scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then(|| {
        (
            scheme.to_ascii_lowercase(),
            cleaned[colon + 1..].to_string(),
        )
    })
}

/// A `javascript:` URL runs its (percent-decoded) code: scanned as code,
/// its findings at the whole attribute value. Returns whether it was one.
fn javascript_url(st: &mut State<'_, '_>, attr: &Attr<'_, '_>) -> bool {
    // Most values cannot be one: the first character that is not a control
    // or a space is the scheme's `j`, or a character reference hiding it.
    let first = attr.value.bytes().find(|&b| b > b' ');
    if !matches!(first, Some(b'j' | b'J' | b'&')) {
        return false;
    }
    let decoded = url::decode_entities(attr.value);
    let Some((scheme, rest)) = scheme_of(&decoded) else {
        return false;
    };
    if scheme != "javascript" {
        return false;
    }
    let code: Vec<u8> = percent_encoding::percent_decode_str(&rest).collect();
    let mut found = Vec::new();
    let mut stream = CodeStream::default();
    let zero = |_: u64| 0;
    stream.push(&code, st.ctx, &zero, &mut found);
    stream.finish(st.ctx, &zero, &mut found);
    at_attribute(st, attr, found);
    true
}

/// A `data:` URL: a document (HTML or SVG) in a frame or object, or a
/// script, scanned as such, its findings at the whole attribute value.
/// Returns whether it was one.
fn data_url(st: &mut State<'_, '_>, attr: &Attr<'_, '_>, decoded: &str, embeds: Embeds) -> bool {
    if scheme_of(decoded).is_none_or(|(scheme, _)| scheme != "data") {
        return false;
    }
    let Ok(data) = data_url::DataUrl::process(decoded.trim_matches(|c: char| c <= ' ')) else {
        return true;
    };
    let Ok((body, _)) = data.decode_to_vec() else {
        return true;
    };
    let mime = data.mime_type();
    let essence = format!("{}/{}", mime.type_, mime.subtype);
    let mut found = Vec::new();
    let zero = |_: usize| 0;
    match embeds {
        Embeds::Document
            if matches!(
                essence.as_str(),
                "text/html" | "image/svg+xml" | "application/xhtml+xml"
            ) =>
        {
            let inner = Level {
                enc: UTF_8,
                map: &zero,
                depth: attr.level.depth + 1,
            };
            // A data: document has an opaque origin: relative URLs in it go
            // nowhere, so it resolves against a base of its own.
            if run(&inner, st.ctx, &url::document_base(), &mut found, |w| {
                w(&body)
            })
            .is_err()
            {
                st.too_deep = true;
            }
        }
        Embeds::Script if is_javascript_mime(&essence) => {
            let mut stream = CodeStream::default();
            let zero = |_: u64| 0;
            stream.push(&body, st.ctx, &zero, &mut found);
            stream.finish(st.ctx, &zero, &mut found);
        }
        _ => {}
    }
    at_attribute(st, attr, found);
    true
}

/// JavaScript MIME type essences (HTML standard).
fn is_javascript_mime(essence: &str) -> bool {
    matches!(
        essence,
        "text/javascript"
            | "application/javascript"
            | "application/ecmascript"
            | "application/x-javascript"
            | "application/x-ecmascript"
            | "text/ecmascript"
            | "text/jscript"
            | "text/livescript"
            | "text/x-javascript"
            | "text/x-ecmascript"
            | "text/javascript1.0"
            | "text/javascript1.1"
            | "text/javascript1.2"
            | "text/javascript1.3"
            | "text/javascript1.4"
            | "text/javascript1.5"
    )
}

/// `<iframe srcdoc>`: the value, its character references decoded, is a
/// document of its own (with the page's base), scanned as HTML; positions
/// map back into the attribute.
fn srcdoc(st: &mut State<'_, '_>, attr: &Attr<'_, '_>) {
    let (doc, map) = url::decode_entities_mapped(attr.value);
    let to_file = |o: usize| {
        let raw = map.get(o).copied().unwrap_or(attr.value.len());
        attr.level.offset_in(attr.start, attr.value, raw)
    };
    let inner = Level {
        enc: UTF_8,
        map: &to_file,
        depth: attr.level.depth + 1,
    };
    let mut found = Vec::new();
    let base = st.base.clone();
    if run(&inner, st.ctx, &base, &mut found, |w| w(doc.as_bytes())).is_err() {
        st.too_deep = true;
    }
    st.found.append(&mut found);
}

/// Findings of code or a document inside an attribute value that cannot be
/// mapped byte for byte (percent- or base64-encoded) point at the value.
fn at_attribute(st: &mut State<'_, '_>, attr: &Attr<'_, '_>, found: Vec<RawFinding>) {
    let (s, e) = attr.span();
    st.found.extend(found.into_iter().map(|f| RawFinding {
        start: s,
        end: e,
        ..f
    }));
}

/// The URL range of a `<meta http-equiv=refresh content="5; url=…">`.
fn refresh_url(v: &str) -> Option<std::ops::Range<usize>> {
    let lower = v.to_ascii_lowercase();
    let after_delay = v.find([';', ','])? + 1;
    let mut i =
        after_delay + (lower[after_delay..].len() - lower[after_delay..].trim_start().len());
    if lower[i..].starts_with("url") {
        let rest = &lower[i + 3..];
        let eq = rest.trim_start();
        if let Some(after_eq) = eq.strip_prefix('=') {
            i = v.len() - after_eq.trim_start().len();
        }
    }
    let mut end = v.len();
    if let Some(q @ (b'"' | b'\'')) = v.as_bytes().get(i).copied() {
        i += 1;
        end = v[i..].find(char::from(q)).map_or(v.len(), |k| i + k);
    }
    let end = i + v[i..end].trim_end().len();
    (end > i).then_some(i..end)
}

fn push_url(st: &mut State<'_, '_>, sink: Sink, u: &UrlParts, start: u64, end: u64) {
    if let Some(j) = st.ctx.judge_url(sink, u) {
        st.found.push(RawFinding {
            rule: j.rule,
            vendor: j.vendor,
            owner: j.owner,
            start,
            end,
            message: j.message,
            url: Some(u.display()),
        });
    }
}

fn on_style_text(t: &TextChunk<'_>, level: &Level<'_>, st: &mut State<'_, '_>) {
    st.style.push(t.as_str(), t.source_location().bytes());
    if t.last_in_text_node() {
        flush_style(level, st);
    }
}

/// A `<style>` block: every URL its CSS fetches.
fn flush_style(level: &Level<'_>, st: &mut State<'_, '_>) {
    let buf = std::mem::take(&mut st.style);
    for u in css::urls(&buf.text) {
        // The decoded URL is resolved; the finding spans its source text,
        // escapes and all.
        let s = (level.map)(buf.level_offset(level.enc, u.span.start));
        let e = (level.map)(buf.level_offset(level.enc, u.span.end));
        let decoded = url::resolve(&u.value, &st.base);
        if let Some(parts) = &decoded {
            push_url(st, Sink::Pixel, parts, s, e);
        }
        // Chromium's preload scanner fetches a `<style>` block's `@import`
        // with its CSS escapes left as written, beside the parser's
        // decoded URL: `"https:\\\\host/x"` reaches both `host` and the
        // base's host. A raw reading on another host is reported too.
        let raw = &buf.text[u.span.clone()];
        if raw != u.value
            && let Some(parts) = url::resolve(raw, &st.base)
            && decoded.as_ref().is_none_or(|d| d.host != parts.host)
        {
            push_url(st, Sink::Pixel, &parts, s, e);
        }
    }
}

fn on_script_text(t: &TextChunk<'_>, level: &Level<'_>, st: &mut State<'_, '_>) {
    if st.script_mode == ScriptMode::Code {
        st.script.push(t.as_str(), t.source_location().bytes());
    }
    if t.last_in_text_node() {
        flush_script(level, st);
        st.script_mode = ScriptMode::Code;
    }
}

fn flush_script(level: &Level<'_>, st: &mut State<'_, '_>) {
    let buf = std::mem::take(&mut st.script);
    let mut code = CodeStream::default();
    match buf.raw(&st.raw) {
        // The script's own bytes: offsets are exact in any encoding.
        Some((start, raw)) => {
            let map = |o: u64| (level.map)(start + o as usize);
            code.push(raw, st.ctx, &map, &mut st.found);
            code.finish(st.ctx, &map, &mut st.found);
        }
        None => {
            let map = |o: u64| (level.map)(buf.level_offset(level.enc, o as usize));
            code.push(buf.text.as_bytes(), st.ctx, &map, &mut st.found);
            code.finish(st.ctx, &map, &mut st.found);
        }
    }
}

fn on_noscript_text(
    t: &TextChunk<'_>,
    level: &Level<'_>,
    st: &mut State<'_, '_>,
) -> lol_html::HandlerResult {
    st.noscript.push(t.as_str(), t.source_location().bytes());
    if t.last_in_text_node() {
        flush_noscript(level, st)?;
    }
    Ok(())
}

/// Parses a finished `<noscript>` body as HTML, as a browser without
/// scripting would, and maps its findings back to the file.
fn flush_noscript(level: &Level<'_>, st: &mut State<'_, '_>) -> Result<(), RewritingError> {
    let buf = std::mem::take(&mut st.noscript);
    if buf.text.trim().is_empty() {
        return Ok(());
    }
    let base = st.base.clone();
    let raw = buf.raw(&st.raw).map(|(start, b)| (start, b.to_vec()));
    let result = match raw {
        // Reparse the body's own bytes, in the document's encoding.
        Some((start, raw)) => {
            let map = |o: usize| (level.map)(start + o);
            let inner = Level {
                enc: level.enc,
                map: &map,
                depth: level.depth + 1,
            };
            run(&inner, st.ctx, &base, &mut st.found, |write| write(&raw)).map(drop)
        }
        None => {
            let map = |o: usize| (level.map)(buf.level_offset(level.enc, o));
            let inner = Level {
                enc: UTF_8,
                map: &map,
                depth: level.depth + 1,
            };
            run(&inner, st.ctx, &base, &mut st.found, |write| {
                write(buf.text.as_bytes())
            })
            .map(drop)
        }
    };
    result.map_err(|e| RewritingError::ContentHandlerError(Box::new(e)))
}

/// Text gathered from chunks, remembering where each chunk started so an
/// offset in the text maps back to the parser's input.
#[derive(Default)]
struct TextBuf {
    text: String,
    /// (offset in `text`, offset in the parser's input, raw length) per chunk.
    segs: Vec<(usize, usize, usize)>,
    /// Input offset where the text starts, once a chunk arrived: the
    /// parser keeps its input from here on (see [`RawWindow`]).
    raw_start: Option<usize>,
    /// Input offset where the text ends so far. Chunks' ranges need not
    /// tile it: the decoder may hold a cut character back to the next one.
    raw_end: usize,
}

impl TextBuf {
    fn push(&mut self, s: &str, input: std::ops::Range<usize>) {
        let start = *self.raw_start.get_or_insert(input.start);
        self.raw_start = Some(start.min(input.start));
        self.raw_end = self.raw_end.max(input.end);
        if s.is_empty() {
            return;
        }
        self.segs.push((self.text.len(), input.start, input.len()));
        self.text.push_str(s);
    }

    /// The text's input bytes and where they start, if still at hand.
    fn raw<'w>(&self, window: &'w RawWindow) -> Option<(usize, &'w [u8])> {
        let start = self.raw_start?;
        window.get(start..self.raw_end).map(|b| (start, b))
    }

    /// The parser-input offset of byte `i` of the text.
    fn level_offset(&self, enc: &'static Encoding, i: usize) -> usize {
        let k = self
            .segs
            .partition_point(|&(t, _, _)| t <= i)
            .saturating_sub(1);
        let Some(&(t, input, raw_len)) = self.segs.get(k) else {
            return 0;
        };
        let end = self.segs.get(k + 1).map_or(self.text.len(), |s| s.0);
        let chunk = &self.text[t..end];
        if chunk.len() == raw_len {
            // Decoding kept every byte: positions are the same.
            return input + (i - t);
        }
        input + encoded_len(enc, chunk, i - t).min(raw_len)
    }
}

/// How many input bytes the first `i` bytes of `s` (decoded text) took in
/// `enc`. A U+FFFD stands for one byte: the parser writes it for a NUL and
/// for each invalid byte.
fn encoded_len(enc: &'static Encoding, s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    let prefix = &s[..i];
    if prefix.is_ascii() {
        return i;
    }
    prefix
        .chars()
        .map(|c| match c {
            '\u{FFFD}' => 1,
            c if c.is_ascii() => 1,
            c if enc == UTF_8 => c.len_utf8(),
            _ if enc.is_single_byte() => 1,
            c => {
                let mut buf = [0u8; 4];
                enc.encode(c.encode_utf8(&mut buf)).0.len()
            }
        })
        .sum()
}

/// The URL ranges of a `srcset` value (`a.png 1x, b.png 2x`).
fn srcset_urls(v: &str) -> Vec<std::ops::Range<usize>> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut end = i;
        while end > start && b[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            out.push(start..end);
        }
        // Skip the descriptor, up to the next comma.
        if end == i {
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
        }
    }
    out
}

/// The ranges of the whitespace-separated tokens of `v` (a `ping` list).
fn token_ranges(v: &str) -> Vec<std::ops::Range<usize>> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i > start {
            out.push(start..i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_candidates() {
        let v = "a.png 1x, https://x.example/b,c.png 2x,d.png";
        let got: Vec<&str> = srcset_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(got, ["a.png", "https://x.example/b,c.png", "d.png"]);
    }

    #[test]
    fn text_offsets_map_through_legacy_encodings() {
        let mut b = TextBuf::default();
        b.push("é-", 10..12); // two bytes of windows-1252
        b.push("x", 12..13);
        assert_eq!(b.level_offset(encoding_rs::WINDOWS_1252, 2), 11);
        assert_eq!(b.level_offset(encoding_rs::WINDOWS_1252, 3), 12);
        assert_eq!(b.level_offset(UTF_8, 2), 12);
        // Found by fuzzing: the parser turns a NUL into U+FFFD (3 bytes).
        let mut b = TextBuf::default();
        b.push("a\u{FFFD}\u{FFFD}bc", 0..5);
        assert_eq!(b.level_offset(encoding_rs::WINDOWS_1252, 7), 3);
        assert_eq!(b.level_offset(UTF_8, 8), 4);
    }
}
