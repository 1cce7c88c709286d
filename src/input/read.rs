//! What a file is and how its bytes are encoded.
//!
//! Kind comes from the extension (templates are scanned as HTML); a file
//! named explicitly with an unknown extension is sniffed. Encoding follows
//! the HTML rules in order: byte-order mark, then `<meta charset>` in the
//! first 1024 bytes, then a UTF-8 validity sniff with windows-1252 as the
//! fallback (what browsers do for an undeclared legacy page).

use std::path::Path;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How a file is scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// HTML and HTML-like templates: parsed with lol_html.
    Html,
    /// JavaScript and TypeScript: searched as code.
    Js,
}

/// Extensions scanned as HTML when walking a directory, besides
/// [`TEMPLATE_EXTENSIONS`]. An `.svg` file is markup a browser runs as a
/// document (opened directly, or through `<object>`/`<iframe>`/`<embed>`):
/// its `<script>`s run and its `href`s load.
pub const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml", "svg"];

/// HTML extensions of template languages, whose expressions are opaque
/// (see [`crate::scan::template`]). Plain `.html` templates (Jekyll, Hugo) are
/// recognised by `[sources] paths` instead.
pub const TEMPLATE_EXTENSIONS: &[&str] = &[
    "liquid",
    "njk",
    "nunjucks",
    "hbs",
    "handlebars",
    "mustache",
    "erb",
    "ejs",
    "twig",
    "jinja",
    "jinja2",
    "j2",
    "php",
    "vue",
    "svelte",
    "astro",
    "gohtml",
    "tmpl",
    "gotmpl",
];

/// Whether `path` has a template language's extension.
pub fn is_template(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Extensions scanned as code when walking a directory.
pub const JS_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// How a precompressed file is compressed (nginx `gzip_static`, Netlify
/// and Cloudflare serve `page.html.gz`, `app.js.br` for `page.html`,
/// `app.js`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// `.gz`
    Gzip,
    /// `.br`
    Brotli,
    /// `.zst`
    Zstd,
}

impl Compression {
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Brotli => "brotli",
            Compression::Zstd => "zstd",
        }
    }
}

/// A precompressed file's compression and the name it is served as (its
/// path without the last extension: `page.html.gz` → `page.html`), or
/// `None` when the extension is not `.gz`, `.br` or `.zst`.
pub fn compression(path: &Path) -> Option<(Compression, std::path::PathBuf)> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let c = match ext.as_str() {
        "gz" => Compression::Gzip,
        "br" => Compression::Brotli,
        "zst" => Compression::Zstd,
        _ => return None,
    };
    Some((c, path.with_extension("")))
}

/// The kind for a path found by walking, or `None` if it is not scanned.
/// A precompressed file has the kind of the name it is served as (one
/// level: `x.js.gz.gz` is not scanned).
pub fn kind_for_extension(path: &Path) -> Option<FileKind> {
    match compression(path) {
        Some((_, inner)) if compression(&inner).is_none() => kind_for_plain_name(&inner),
        Some(_) => None,
        None => kind_for_plain_name(path),
    }
}

fn kind_for_plain_name(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if HTML_EXTENSIONS.contains(&ext.as_str()) || TEMPLATE_EXTENSIONS.contains(&ext.as_str()) {
        Some(FileKind::Html)
    } else if JS_EXTENSIONS.contains(&ext.as_str()) || is_framework_data(path, &ext) {
        Some(FileKind::Js)
    } else {
        None
    }
}

/// Data files a framework renders into pages in the browser, scanned as
/// code (by path alone, so not every JSON file is): Next.js React Server
/// Component payloads (`.txt` under a `_next` directory) and page data
/// (`.json` under `_next/data/`), and Gatsby's
/// `page-data/**/page-data.json`. An RSC payload beside its page
/// (`about.txt` next to `about.html`) is recognised by the walk, which
/// also checks its first bytes ([`is_rsc_payload`]).
fn is_framework_data(path: &Path, ext: &str) -> bool {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let (Some(name), dirs) = (parts.last(), &parts[..parts.len().saturating_sub(1)]) else {
        return false;
    };
    match ext {
        "txt" => dirs.contains(&"_next"),
        "json" => {
            dirs.windows(2).any(|w| w == ["_next", "data"])
                || (*name == "page-data.json" && dirs.contains(&"page-data"))
        }
        _ => false,
    }
}

/// Whether a file's first bytes are a React Server Component payload's
/// first row: a hexadecimal row id, `:`, then a JSON value or a row tag
/// (`0:["$","html",…]`, `1:I[…]`, `0:{"P":…}`, `1:HL[…]`).
pub fn is_rsc_payload(head: &[u8]) -> bool {
    let id = head.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if id == 0 || id > 8 || head.get(id) != Some(&b':') {
        return false;
    }
    let rest = &head[id + 1..];
    rest.first().is_some_and(|b| b"[{\"".contains(b))
        || [&b"I["[..], b"HL[", b"T"]
            .iter()
            .any(|t| rest.starts_with(t))
}

/// The kind for a file named on the command line: by extension when known,
/// else HTML if its first non-blank byte is `<`, else code.
pub fn kind_for_explicit(path: &Path, head: &[u8]) -> FileKind {
    kind_for_extension(path).unwrap_or_else(|| {
        let text = strip_bom(head).1;
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') => FileKind::Html,
            _ => FileKind::Js,
        }
    })
}

/// What a file's first bytes say it is, when it is not text: a known
/// magic number, or mostly NUL and control bytes. A UTF-16 byte-order mark
/// is text. A few NUL bytes in a page are not enough to call it binary.
pub fn sniff_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"\0asm", "a WebAssembly module"),
        (b"wOFF", "a WOFF font"),
        (b"wOF2", "a WOFF2 font"),
        (b"OTTO", "an OpenType font"),
        (b"\0\x01\0\0", "a TrueType font"),
        (b"\xFD7zXZ\0", "xz-compressed data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"\x7FELF", "an executable"),
        (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(name);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some("an MP4/ISO media file");
    }
    if let Some((enc, _)) = Encoding::for_bom(head)
        && enc != UTF_8
    {
        return None;
    }
    let sample = &head[..head.len().min(8192)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    (sample.len() >= 32 && control * 10 > sample.len()).then_some("binary data")
}

/// How to turn a file's bytes into the stream that is scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoding {
    /// The encoding of the scanned stream's text (always ASCII-compatible).
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark skipped at the start of the file.
    pub bom_len: usize,
    /// The file is UTF-16 and is transcoded to UTF-8 before scanning.
    pub from_utf16: Option<&'static Encoding>,
}

/// An encoding tracklint cannot scan, declared by the page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported encoding {encoding} declared by <meta charset=\"{label}\">")]
pub struct UnsupportedEncoding {
    /// The encoding's name.
    pub encoding: &'static str,
    /// The label as written.
    pub label: String,
}

/// Decides the decoding from the first bytes of a file (up to 64 KiB).
/// Errors name an encoding tracklint cannot scan.
pub fn detect(head: &[u8], kind: FileKind) -> Result<Decoding, UnsupportedEncoding> {
    let (bom, _) = strip_bom(head);
    if let Some((enc, len)) = bom {
        return Ok(if enc == UTF_8 {
            Decoding {
                encoding: UTF_8,
                bom_len: len,
                from_utf16: None,
            }
        } else {
            Decoding {
                encoding: UTF_8,
                bom_len: len,
                from_utf16: Some(enc),
            }
        });
    }
    if kind == FileKind::Html
        && let Some(label) = meta_charset(&head[..head.len().min(1024)])
    {
        match Encoding::for_label(label.as_bytes()) {
            // The HTML standard maps a declared UTF-16 to UTF-8: the bytes
            // evidently are ASCII-compatible if the declaration was read.
            Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {
                return Ok(plain(UTF_8));
            }
            Some(enc) if enc.is_ascii_compatible() => return Ok(plain(enc)),
            Some(enc) => {
                return Err(UnsupportedEncoding {
                    encoding: enc.name(),
                    label,
                });
            }
            // An unknown label is ignored, as browsers do.
            None => {}
        }
    }
    Ok(plain(sniff(head)))
}

fn plain(encoding: &'static Encoding) -> Decoding {
    Decoding {
        encoding,
        bom_len: 0,
        from_utf16: None,
    }
}

/// UTF-8 if the bytes are valid UTF-8 (allowing a sequence cut at the end),
/// else windows-1252.
fn sniff(head: &[u8]) -> &'static Encoding {
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

fn strip_bom(head: &[u8]) -> (Option<(&'static Encoding, usize)>, &[u8]) {
    match Encoding::for_bom(head) {
        Some((enc, len)) => (Some((enc, len)), &head[len..]),
        None => (None, head),
    }
}

/// The charset label of the first `<meta charset=…>` or
/// `<meta http-equiv=content-type content="…; charset=…">`, found by a
/// simplified version of the HTML prescan.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(label) = attr_after(tag, b"charset") {
            return Some(label);
        }
        from = end;
    }
    None
}

/// The value after the first `name=` in `tag` (also inside a `content`
/// attribute), unquoted and trimmed.
fn attr_after(tag: &[u8], name: &[u8]) -> Option<String> {
    let i = memchr::memmem::find(tag, name)?;
    let mut rest = &tag[i + name.len()..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?.trim();
    (!label.is_empty()).then(|| label.to_string())
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_found() {
        let d = detect(b"<html><head><META charset='ISO-8859-1'>", FileKind::Html).unwrap();
        assert_eq!(d.encoding, WINDOWS_1252);
        let d = detect(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=shift_jis\">",
            FileKind::Html,
        )
        .unwrap();
        assert_eq!(d.encoding.name(), "Shift_JIS");
    }

    #[test]
    fn bom_wins() {
        let d = detect(b"\xEF\xBB\xBF<meta charset=latin1>", FileKind::Html).unwrap();
        assert_eq!((d.encoding, d.bom_len), (UTF_8, 3));
        let d = detect(b"\xFF\xFE<\0", FileKind::Html).unwrap();
        assert_eq!(d.from_utf16, Some(UTF_16LE));
    }

    #[test]
    fn undeclared_legacy_bytes_fall_back_to_windows_1252() {
        assert_eq!(
            detect(b"caf\xE9 <p>", FileKind::Html).unwrap().encoding,
            WINDOWS_1252
        );
        assert_eq!(
            detect("café".as_bytes(), FileKind::Js).unwrap().encoding,
            UTF_8
        );
        // A multi-byte sequence cut by the 64 KiB head is still UTF-8.
        assert_eq!(detect(b"ab\xC3", FileKind::Js).unwrap().encoding, UTF_8);
    }

    #[test]
    fn precompressed_files_have_their_inner_kind() {
        let kind = |p: &str| kind_for_extension(Path::new(p));
        assert_eq!(kind("out/page.html.gz"), Some(FileKind::Html));
        assert_eq!(kind("out/app.JS.BR"), Some(FileKind::Js));
        assert_eq!(kind("out/app.mjs.zst"), Some(FileKind::Js));
        assert_eq!(kind("out/data.csv.gz"), None);
        assert_eq!(kind("out/page.html.gz.gz"), None);
        assert_eq!(kind("out/archive.gz"), None);
        assert_eq!(
            compression(Path::new("a/page.html.br")),
            Some((Compression::Brotli, "a/page.html".into()))
        );
    }

    #[test]
    fn framework_data_files_are_code_by_path() {
        let kind = |p: &str| kind_for_extension(Path::new(p));
        assert_eq!(
            kind("out/_next/static/chunks/app/page.txt"),
            Some(FileKind::Js)
        );
        assert_eq!(
            kind("out/_next/data/build1/en/about.json"),
            Some(FileKind::Js)
        );
        assert_eq!(kind("out/_next/data/b/x.json.gz"), Some(FileKind::Js));
        assert_eq!(
            kind("public/page-data/about/page-data.json"),
            Some(FileKind::Js)
        );
        assert_eq!(kind("public/page-data/app-data.json"), None);
        assert_eq!(kind("out/data/_next.json"), None);
        assert_eq!(kind("out/_next/manifest.json"), None);
        assert_eq!(kind("out/robots.txt"), None);
        assert_eq!(kind("out/api/page-data.json"), None);
        assert!(is_rsc_payload(b"0:[\"$\",\"html\"]"));
        assert!(is_rsc_payload(b"1:I[1234,[],\"\"]\n"));
        assert!(is_rsc_payload(b"1:HL[\"/a.css\"]"));
        assert!(is_rsc_payload(b"a:{\"P\":null}"));
        assert!(!is_rsc_payload(b"User-agent: *"));
        assert!(!is_rsc_payload(b"10: hello"));
        assert!(!is_rsc_payload(b":[]"));
    }

    #[test]
    fn svg_is_markup_and_text() {
        assert_eq!(
            kind_for_extension(Path::new("site/logo.SVG")),
            Some(FileKind::Html)
        );
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x()</script></svg>";
        assert_eq!(sniff_binary(svg), None);
    }

    #[test]
    fn binaries_are_recognised_by_content() {
        assert_eq!(sniff_binary(b"\x89PNG\r\n\x1a\n...."), Some("a PNG image"));
        assert_eq!(
            sniff_binary(b"\0asm\x01\0\0\0"),
            Some("a WebAssembly module")
        );
        assert_eq!(sniff_binary(&[0u8; 100]), Some("binary data"));
        // A few NULs in a page are text; UTF-16 is text.
        assert_eq!(
            sniff_binary(b"<p>hello\0world, this is a page of text</p>"),
            None
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<p>hi there, text</p>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(sniff_binary(&utf16), None);
    }

    #[test]
    fn unsupported_declared_encoding_is_an_error() {
        assert!(detect(b"<meta charset=iso-2022-jp>", FileKind::Html).is_err());
        // Unknown labels are ignored.
        assert_eq!(
            detect(b"<meta charset=klingon>", FileKind::Html)
                .unwrap()
                .encoding,
            UTF_8
        );
    }
}
