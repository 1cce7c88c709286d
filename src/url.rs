//! Just enough URL handling for matching: split an absolute or
//! protocol-relative URL into a normalised host and path, decode the HTML
//! character references that hide them, and match path patterns.
//!
//! Full WHATWG URL parsing is not needed: tracklint only asks "which host,
//! which path", and must never reject odd input.

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

/// Parses `s` (an attribute value, already trimmed of character references
/// by [`decode_entities`]) as an absolute `http(s)://` or protocol-relative
/// `//` URL. Relative URLs and other schemes (`data:`, `mailto:`) give `None`.
///
/// ```
/// let u = tracklint::url::parse("//Connect.Facebook.NET/en_US/fbevents.js").unwrap();
/// assert_eq!(u.display(), "connect.facebook.net/en_US/fbevents.js");
/// assert!(tracklint::url::parse("/js/app.js").is_none());
/// ```
pub fn parse(s: &str) -> Option<UrlParts> {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let rest = strip_scheme(s)?;
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let host = normalise_host(&rest[..end])?;
    let after = &rest[end..];
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    let mut path = after[..path_end].replace('\\', "/");
    if path.is_empty() {
        path.push('/');
    }
    Some(UrlParts { host, path })
}

/// Strips `http://`, `https://` (any case, with `\` accepted for `/` as
/// browsers do) or `//`, returning what follows.
fn strip_scheme(s: &str) -> Option<&str> {
    let lower_starts = |p: &str| {
        s.as_bytes()
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
    };
    let after = if lower_starts("https:") {
        &s[6..]
    } else if lower_starts("http:") {
        &s[5..]
    } else {
        s
    };
    let b = after.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'/' | b'\\') && matches!(b[1], b'/' | b'\\') {
        Some(&after[2..])
    } else {
        None
    }
}

/// Reduces an authority (`user@Host.Example.:443`) to `host.example`.
/// Returns `None` when nothing host-like remains.
pub fn normalise_host(authority: &str) -> Option<String> {
    let after_user = authority.rsplit('@').next().unwrap_or(authority);
    let host = match after_user.rfind(':') {
        // An IPv6 literal keeps its colons; a port follows the closing bracket.
        Some(i) if !after_user.starts_with('[') || after_user[..i].ends_with(']') => {
            &after_user[..i]
        }
        _ => after_user,
    };
    let host = host.trim_end_matches('.');
    // Code points a browser refuses in a host (WHATWG "forbidden host code
    // points"; tab and line breaks are removed before parsing, so they are
    // kept), and template syntax no DNS name can hold: a blanked template
    // expression (`https://{{ cdn }}/x.js`) is spaces, a Svelte or JSX one
    // (`https://{host}/x.js`) keeps its braces. Either way there is no
    // vendor to judge, and no request could reach one.
    let forbidden = |c: char| {
        matches!(c, ' ' | '<' | '>' | '^' | '|' | '{' | '}' | '$')
            || (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    if host.is_empty() || host.contains(forbidden) {
        return None;
    }
    Some(host.to_ascii_lowercase())
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

/// Decodes one reference at the start of `s` (which starts with `&`).
fn decode_one(s: &str) -> Option<(char, usize)> {
    let semi = s.as_bytes().iter().take(12).position(|&b| b == b';');
    if let Some(num) = s.strip_prefix("&#") {
        let digits_end = num
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(num.len());
        let (radix, digits) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (16, &num[1..digits_end]),
            _ => (10, &num[..digits_end]),
        };
        let value = u32::from_str_radix(digits, radix).ok()?;
        let c = char::from_u32(value)?;
        let mut len = 2 + digits_end;
        if num[digits_end..].starts_with(';') {
            len += 1;
        }
        return Some((c, len));
    }
    let semi = semi?;
    let c = match &s[1..semi] {
        "amp" => '&',
        "sol" => '/',
        "colon" => ':',
        "period" => '.',
        "quest" => '?',
        "num" => '#',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    };
    Some((c, semi + 1))
}

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
