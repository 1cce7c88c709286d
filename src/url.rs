//! URLs as a browser reads them: an attribute value, decoded as the HTML
//! tokenizer decodes character references ([`decode_entities`]), is parsed
//! with the WHATWG URL Standard (the `url` crate) against the document's
//! base ([`resolve`]), and reduced to the host a request would reach and
//! its path ([`UrlParts`]). Path patterns for vendor rules are matched here
//! too ([`PathPattern`]).
//!
//! It stays one file past 500 lines: reading a URL out of an attribute is
//! one concept here (references, parsing, the matched path), and about a
//! third of it is the tests of those cases.

/// A parsed WHATWG URL (a document's base).
pub use ::url::Url;

/// An absolute URL reduced to what matching needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    /// Lowercased host without userinfo, port or trailing dot.
    pub host: String,
    /// The path (`/` when empty), without query or fragment.
    pub path: String,
}

impl UrlParts {
    /// `host/path` as shown in messages and JSON.
    pub fn display(&self) -> String {
        format!("{}{}", self.host, self.path)
    }
}

/// Whether `b` can appear in a host name as written in source text.
pub fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_'
}

/// The host relative URLs resolve to when a document has no `<base href>`:
/// the page's own, first-party, whatever it is.
const SELF_HOST: &str = "tracklint.invalid";

/// The base a document's relative URLs resolve against: the page itself,
/// or its first `<base href>`.
pub fn document_base() -> url::Url {
    url::Url::parse(&format!("https://{SELF_HOST}/")).expect("a valid URL")
}

/// Parses `s` (an attribute value, its character references already
/// decoded by [`decode_entities`]) as a browser would, against `base`, and
/// returns the host and path it requests. `None` for URLs that stay on the
/// page's own host (relative URLs without a third-party `<base>`), other
/// schemes (`data:`, `mailto:`, `javascript:`), and URLs whose host is a
/// template expression.
///
/// ```
/// let base = tracklint::url::document_base();
/// let u = tracklint::url::resolve("//Connect.Facebook.NET/en_US/fbevents.js", &base).unwrap();
/// assert_eq!(u.display(), "connect.facebook.net/en_US/fbevents.js");
/// let u = tracklint::url::resolve("https:\\\\www.google%2Danalytics.com/./x/../analytics.js", &base).unwrap();
/// assert_eq!(u.display(), "www.google-analytics.com/analytics.js");
/// assert!(tracklint::url::resolve("/js/app.js", &base).is_none());
/// ```
pub fn resolve(s: &str, base: &url::Url) -> Option<UrlParts> {
    let u = match scheme_relative(s) {
        Some(rest) => url::Url::options()
            .base_url(Some(base))
            .parse(&format!("//{rest}")),
        None => url::Url::options().base_url(Some(base)).parse(s),
    }
    .ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = match u.host()? {
        url::Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        url::Host::Ipv4(ip) => ip.to_string(),
        url::Host::Ipv6(ip) => format!("[{ip}]"),
    };
    if host == SELF_HOST || host.is_empty() || template_host(&host) {
        return None;
    }
    Some(UrlParts {
        host,
        path: u.path().to_string(),
    })
}

/// `s` as the URL parser first reads it: leading and trailing C0 controls
/// and spaces trimmed, every tab and line break removed.
pub fn cleaned(s: &str) -> String {
    s.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// What follows the slashes of a scheme-relative URL (`//host`, `////host`,
/// `\\\\host`), as the URL Standard reads it against a special base: every
/// slash and backslash after the first two is ignored. The `url` crate
/// refuses three or more as an empty host, Chromium does not.
fn scheme_relative(s: &str) -> Option<String> {
    let cleaned = cleaned(s);
    let rest = cleaned.trim_start_matches(['/', '\\']);
    (cleaned.len() - rest.len() > 2).then(|| rest.to_string())
}

/// Parses `s` as [`resolve`] does, against the page itself.
///
/// ```
/// let u = tracklint::url::parse("//Connect.Facebook.NET/en_US/fbevents.js").unwrap();
/// assert_eq!(u.display(), "connect.facebook.net/en_US/fbevents.js");
/// assert!(tracklint::url::parse("/js/app.js").is_none());
/// ```
pub fn parse(s: &str) -> Option<UrlParts> {
    thread_local! {
        static BASE: url::Url = document_base();
    }
    BASE.with(|base| resolve(s, base))
}

/// Template syntax no DNS name can hold, left in a host by a Svelte, JSX or
/// shell-style expression (`https://{host}/x.js`, `https://${cdn}/x.js`):
/// there is no vendor to judge, and no request could reach one.
fn template_host(host: &str) -> bool {
    host.contains(['{', '}', '$', '%'])
}

/// Decodes the character references that can hide a URL in an attribute
/// (`&amp;`, `&#47;`, `&#x2F;`, `&sol;`, `&colon;`, `&period;`, …). Unknown
/// references are kept as written.
///
/// ```
/// use tracklint::url::decode_entities;
/// assert_eq!(decode_entities("https:&#x2F;&#x2F;t.example/?a=1&amp;b=2"), "https://t.example/?a=1&b=2");
/// ```
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match decode_one(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// [`decode_entities`], with the offset in `s` each byte of the result
/// comes from (and `s.len()` last), so positions in the decoded text map
/// back to the source.
pub fn decode_entities_mapped(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut i = 0;
    while i < s.len() {
        let (piece, len) = match s[i..]
            .starts_with('&')
            .then(|| decode_one(&s[i..]))
            .flatten()
        {
            Some((c, len)) => (c, len),
            None => {
                let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
                (c, c.len_utf8())
            }
        };
        for _ in 0..piece.len_utf8() {
            map.push(i);
        }
        out.push(piece);
        i += len;
    }
    map.push(s.len());
    (out, map)
}

/// Decodes one reference at the start of `s` (which starts with `&`) as
/// the HTML tokenizer does in an attribute value: numeric references with
/// or without `;` (with the standard's replacements for 0, surrogates, out
/// of range and the C1 range), named references that end in `;`, and the
/// legacy names without `;` unless a letter, digit or `=` follows.
fn decode_one(s: &str) -> Option<(char, usize)> {
    if let Some(num) = s.strip_prefix("&#") {
        let (radix, digits) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (16, &num[1..]),
            _ => (10, num),
        };
        let n = digits
            .bytes()
            .take_while(|b| match radix {
                16 => b.is_ascii_hexdigit(),
                _ => b.is_ascii_digit(),
            })
            .count();
        if n == 0 {
            return None;
        }
        // Saturates: any overflow is out of range all the same.
        let value = digits[..n].bytes().fold(0u32, |v, b| {
            v.saturating_mul(radix)
                .saturating_add(char::from(b).to_digit(radix).unwrap_or(0))
        });
        let mut len = 2 + (num.len() - digits.len()) + n;
        if s[len..].starts_with(';') {
            len += 1;
        }
        return Some((numeric_char(value), len));
    }
    let name_len = s[1..].bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &s[1..1 + name_len];
    if s[1 + name_len..].starts_with(';') {
        return named(name).map(|c| (c, name_len + 2));
    }
    // A legacy reference without `;`: the longest legacy name that starts
    // the text, unless what follows it is alphanumeric or `=`.
    LEGACY.iter().find_map(|&(legacy, c)| {
        let next = s.as_bytes().get(1 + legacy.len());
        (name.starts_with(legacy) && !next.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'='))
            .then_some((c, legacy.len() + 1))
    })
}

/// The character a numeric reference stands for (HTML standard, "numeric
/// character reference end state").
fn numeric_char(value: u32) -> char {
    const C1: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// Named references that stand for a character a URL can be hidden with
/// (every ASCII punctuation and white space with a name), and a few more.
fn named(name: &str) -> Option<char> {
    Some(match name {
        "Tab" => '\t',
        "NewLine" => '\n',
        "excl" => '!',
        "quot" | "QUOT" => '"',
        "num" => '#',
        "dollar" => '$',
        "percnt" => '%',
        "amp" | "AMP" => '&',
        "apos" => '\'',
        "lpar" => '(',
        "rpar" => ')',
        "ast" | "midast" => '*',
        "plus" => '+',
        "comma" => ',',
        "period" => '.',
        "sol" => '/',
        "colon" => ':',
        "semi" => ';',
        "lt" | "LT" => '<',
        "equals" => '=',
        "gt" | "GT" => '>',
        "quest" => '?',
        "commat" => '@',
        "lsqb" | "lbrack" => '[',
        "bsol" => '\\',
        "rsqb" | "rbrack" => ']',
        "Hat" => '^',
        "lowbar" | "UnderBar" => '_',
        "grave" | "DiacriticalGrave" => '`',
        "lcub" | "lbrace" => '{',
        "verbar" | "vert" | "VerticalLine" => '|',
        "rcub" | "rbrace" => '}',
        "nbsp" | "NonBreakingSpace" => '\u{A0}',
        _ => return None,
    })
}

/// Legacy names the tokenizer also decodes without `;`, longest first,
/// limited to those that stand for ASCII (the others cannot hide a host).
const LEGACY: &[(&str, char)] = &[
    ("quot", '"'),
    ("QUOT", '"'),
    ("amp", '&'),
    ("AMP", '&'),
    ("lt", '<'),
    ("LT", '<'),
    ("gt", '>'),
    ("GT", '>'),
];

/// A compiled path pattern: `*` matches within one path segment, a trailing
/// `*` matches anything, and otherwise the pattern must match whole
/// segments (`/tr` matches `/tr`, `/tr/` and `/tr?x`, not `/trending`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    raw: String,
}

impl PathPattern {
    /// Makes a pattern from text starting with `/`.
    pub fn new(raw: &str) -> PathPattern {
        PathPattern {
            raw: raw.to_string(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// How specific the pattern is: its length without wildcards.
    pub fn specificity(&self) -> usize {
        self.raw.bytes().filter(|&b| b != b'*').count()
    }

    /// Whether `path` (no query or fragment) matches.
    pub fn matches(&self, path: &str) -> bool {
        prefix_glob(self.raw.as_bytes(), path.as_bytes())
    }
}

/// Whether some prefix of `text` matches `pat` and ends on a segment
/// boundary (or the pattern ends with `/` or `*`).
///
/// A simulation of the pattern's automaton, one set of pattern positions
/// per text byte: O(pattern × text) whatever the stars, where trying each
/// split of every `*` in turn would be exponential in their number.
fn prefix_glob(pat: &[u8], text: &[u8]) -> bool {
    let n = pat.len();
    if n == 0 {
        return true;
    }
    // Adds position `i` and, past each `*` (which may take no bytes), the
    // next ones; true when a final `*` is reached (it matches the rest).
    fn add(pat: &[u8], set: &mut [bool], mut i: usize) -> bool {
        while i < pat.len() && !set[i] {
            set[i] = true;
            if pat[i] != b'*' {
                return false;
            }
            if i + 1 == pat.len() {
                return true;
            }
            i += 1;
        }
        false
    }
    let mut cur = vec![false; n];
    let mut next = vec![false; n];
    if add(pat, &mut cur, 0) {
        return true;
    }
    for (j, &t) in text.iter().enumerate() {
        next.iter_mut().for_each(|b| *b = false);
        let mut any = false;
        for i in 0..n {
            if !cur[i] {
                continue;
            }
            let p = pat[i];
            if p == b'*' {
                // `*` takes another byte of the current segment.
                if t != b'/' {
                    any = true;
                    if add(pat, &mut next, i) {
                        return true;
                    }
                }
            } else if t.eq_ignore_ascii_case(&p) {
                if i + 1 == n {
                    let rest = &text[j + 1..];
                    if p == b'/' || rest.first().is_none_or(|&b| b == b'/') {
                        return true;
                    }
                } else {
                    any = true;
                    if add(pat, &mut next, i + 1) {
                        return true;
                    }
                }
            }
        }
        if !any {
            return false;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    false
}

/// `host` and each of its parent domains, longest first
/// (`a.b.example` → `a.b.example`, `b.example`, `example`): the keys a
/// `*.domain` pattern is looked up by.
pub fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::once(host).chain(host.match_indices('.').map(move |(i, _)| &host[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_browsers_do() {
        let base = document_base();
        let host = |s: &str| resolve(s, &base).map(|u| u.host);
        // Slashes and backslashes after a special scheme, any number.
        for s in [
            "https:///static.hotjar.com/c/x.js",
            "https:\\\\static.hotjar.com/c/x.js",
            "////static.hotjar.com/c/x.js",
            "https:/\\/\\static.hotjar.com/c/x.js",
            // C0 controls and spaces around, tabs and newlines anywhere.
            "\u{1} https://static.hotjar.com/c/x.js \u{1f}",
            "ht\ttps://static.hot\njar.com/c/x.js",
            // Case, a trailing dot, percent-encoding and IDNA in the host.
            "HTTPS://STATIC.HOTJAR.COM./c/x.js",
            "https://static.hot%6Aar.com/c/x.js",
            "https://static.hotjar\u{3002}com/c/x.js",
            "https://static.hotjar.com:443/c/x.js",
        ] {
            assert_eq!(host(s).as_deref(), Some("static.hotjar.com"), "{s:?}");
        }
        // Dot segments are resolved before paths are matched.
        assert_eq!(
            resolve("https://www.facebook.com/./x/../tr?id=1", &base)
                .unwrap()
                .path,
            "/tr"
        );
        // Relative URLs stay on the page, unless a <base> sends them away.
        assert_eq!(host("/tr?id=1"), None);
        assert_eq!(host("https:tr"), None);
        let away = url::Url::parse("https://www.facebook.com/").unwrap();
        assert_eq!(
            resolve("tr?id=1", &away).map(|u| u.display()).as_deref(),
            Some("www.facebook.com/tr")
        );
        // Other schemes load nothing from a host.
        for s in [
            "data:text/html,x",
            "mailto:a@b.example",
            "javascript:x()",
            "about:blank",
        ] {
            assert_eq!(host(s), None, "{s}");
        }
        // IPv4 in odd notations is normalised.
        assert_eq!(host("http://0x7f.1/").as_deref(), Some("127.0.0.1"));
    }

    #[test]
    fn parses_absolute_and_protocol_relative() {
        let u = parse("  HTTPS://User@WWW.Example.COM.:443/a/b?q#f ").unwrap();
        assert_eq!(u.host, "www.example.com");
        assert_eq!(u.path, "/a/b");
        assert_eq!(parse("//cdn.example.com").unwrap().path, "/");
        // Found by the property test: multi-byte text where a scheme or a
        // character reference could be.
        assert_eq!(parse("é/x"), None);
        assert_eq!(parse("htt😀"), None);
        // A host a browser refuses, as a blanked template expression leaves.
        assert_eq!(parse("https://          /gtag/js"), None);
        assert_eq!(parse("https://a b.example/x"), None);
        assert_eq!(parse("//<x>/y"), None);
        assert_eq!(parse("https://{host}/x.js"), None);
        assert_eq!(parse("https://${host}/x.js"), None);
        assert_eq!(decode_entities("&aaaaaaaaaa😀;"), "&aaaaaaaaaa😀;");
        assert_eq!(
            parse("https:\\\\evil.example\\x").unwrap().host,
            "evil.example"
        );
    }

    #[test]
    fn relative_and_other_schemes_are_not_urls() {
        for s in [
            "/js/app.js",
            "app.js",
            "data:text/js,1",
            "mailto:x@y",
            "javascript:x",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            decode_entities("https:&#47;&#x2F;www.facebook.com&sol;tr?a=1&amp;b"),
            "https://www.facebook.com/tr?a=1&b"
        );
        assert_eq!(decode_entities("a &unknown; b"), "a &unknown; b");
        // Numeric references need no `;`; named ones do, but for legacy
        // names not followed by a letter, digit or `=`.
        assert_eq!(
            decode_entities("connect&#46facebook&period;net"),
            "connect.facebook.net"
        );
        assert_eq!(decode_entities("&#x2f&#X2F;&#0047x"), "///x");
        assert_eq!(
            decode_entities("a=1&amp;b=2&ampc=3&amp=4&amp"),
            "a=1&b=2&ampc=3&amp=4&"
        );
        assert_eq!(decode_entities("ht&Tab;tps&colon;&sol;/x"), "ht\ttps://x");
        // The standard's replacements.
        assert_eq!(
            decode_entities("&#0;&#x80;&#xD800;&#99999999999;"),
            "\u{FFFD}\u{20AC}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode_entities("&#;&#x;&"), "&#;&#x;&");
        let (text, map) = decode_entities_mapped("a&lt;b&#233;");
        assert_eq!(text, "a<bé");
        assert_eq!(map, [0, 1, 5, 6, 6, 12]);
    }

    #[test]
    fn path_patterns_match_whole_segments() {
        let p = PathPattern::new("/tr");
        assert!(p.matches("/tr"));
        assert!(p.matches("/tr/"));
        assert!(p.matches("/TR/x"));
        assert!(!p.matches("/trending"));
        let p = PathPattern::new("/*/fbevents.js");
        assert!(p.matches("/en_US/fbevents.js"));
        assert!(!p.matches("/en_US/x/fbevents.js"));
        let p = PathPattern::new("/ct/*");
        assert!(p.matches("/ct/core.js"));
        assert!(!p.matches("/c/core.js"));
        let p = PathPattern::new("/ads/");
        assert!(p.matches("/ads/pixel.js"));
        let p = PathPattern::new("/a*b*c");
        assert!(p.matches("/axxbyyc"));
        assert!(p.matches("/abc/d"));
        assert!(!p.matches("/abcd"));
        assert!(!p.matches("/ab/c"));
        assert!(PathPattern::new("/x/**").matches("/x/a/b"));
        assert!(PathPattern::new("/*").matches("/"));
        assert!(!PathPattern::new("/a*").matches("/b"));
    }

    #[test]
    fn many_stars_match_in_linear_time() {
        // Backtracking over each split of a dozen stars against a long
        // segment is about 4000^12 tries; the automaton is 25 × 4000 steps.
        let pat = PathPattern::new(&format!("/{}b", "*a".repeat(12)));
        let path = format!("/{}", "a".repeat(4000));
        assert!(!pat.matches(&path));
        assert!(pat.matches(&format!("{path}b")));
    }
}
