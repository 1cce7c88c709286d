//! The matching engine compiled from the vendors' patterns.
//!
//! Two questions are answered here:
//! * "Whose is this URL?" ([`Matcher::resolve`]): a hash lookup of the host
//!   and each parent domain, then the most specific pattern wins.
//! * "What tracker text is in this code?" ([`Matcher::scan_text`]): one
//!   Aho-Corasick pass over all host literals (case-insensitive) and one over
//!   the anchors of all snippet signatures (case-sensitive, as JavaScript
//!   is; matched as tokens, see `snippet.rs`). A host hit is
//!   grown into the whole host and path around it and then resolved, so a
//!   hit on `facebook.com` in `www.facebook.com/ourclinic` is dropped while
//!   `https:\/\/www.facebook.com\/tr` is kept.
//!
//! The vendors' patterns are checked and compiled in `pattern.rs`; this
//! file indexes them. It stays whole past 500 lines (120 of them tests)
//! because resolving a URL and scanning code share the same indexes and
//! lookups (`candidates`, `resolve_in`).

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::pattern::{self, BuildError, ConsentAttr, Patterns, Snippet, UrlPattern};
use super::snippet::{self, SnippetIndex};
use super::{Category, Vendor};
use crate::url::{self, UrlParts, is_host_byte};

/// The longest host (RFC 1035).
pub(super) const MAX_HOST: usize = 253;
/// How far a URL path is followed in code; enough to match any pattern.
const MAX_PATH: usize = 2048;
/// Bytes after a literal hit that growing it into a URL may read; also
/// more than a snippet match reads past where it starts.
pub const MAX_URL_CONTEXT: usize = 2 * MAX_HOST + MAX_PATH + 64;
const _: () = assert!(snippet::MAX_SPAN < MAX_URL_CONTEXT);

/// Which list of a vendor a URL pattern came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternKind {
    /// `hosts`: the whole host is the vendor's tracking.
    Host,
    /// `scripts`: a script file.
    Script,
    /// `pixels`: a collection endpoint.
    Pixel,
}

/// The vendor (and pattern kind) a URL belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostMatch {
    /// Index into the ruleset's vendors.
    pub vendor: usize,
    /// Which kind of pattern matched.
    pub kind: PatternKind,
}

/// Who claims a host that a resource hint (`preconnect`, `dns-prefetch`)
/// names: a hint names a host, never a path, so it can only be tied to a
/// vendor when the whole host is that vendor's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostClaim {
    /// The vendor with the most specific pattern on the host, as
    /// [`Matcher::resolve_host`] finds it; its company owns the host.
    pub vendor: usize,
    /// Whether the host is wholly that vendor's: one of its `hosts`
    /// patterns covers the host and no other vendor has any pattern on it
    /// (`www.google-analytics.com` is Google Analytics'; `www.google.com`,
    /// claimed by path only, and `www.googletagmanager.com`, where Google
    /// Analytics claims `/gtag/js`, are only Google's).
    pub whole: bool,
}

/// A tracker reference found in code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextHit {
    /// Byte range in the scanned text.
    pub range: Range<usize>,
    /// What was found.
    pub kind: TextHitKind,
}

/// What [`Matcher::scan_text`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextHitKind {
    /// A vendor URL (scheme and query included in the range).
    Url {
        /// Whose it is.
        matched: HostMatch,
        /// The normalised URL.
        url: UrlParts,
    },
    /// A code signature.
    Snippet {
        /// Index into the ruleset's vendors.
        vendor: usize,
        /// Whether it is a consent check (`consent_snippets`).
        consent: bool,
        /// The signature as written in the ruleset.
        signature: String,
    },
}

/// A consent-gating attribute on a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrMatch {
    /// Index into the ruleset's vendors.
    pub vendor: usize,
    /// The pattern as written (`class~=optanon-category-`).
    pub pattern: String,
}

/// All vendor patterns, compiled.
pub struct Matcher {
    urls: Vec<UrlPattern>,
    exact: HashMap<String, Vec<usize>>,
    wild: HashMap<String, Vec<usize>>,
    host_ac: AhoCorasick,
    snippets: Vec<Snippet>,
    snippet_index: SnippetIndex,
    consent_attrs: Vec<ConsentAttr>,
    categories: Vec<Category>,
    /// Per vendor: whether its path patterns say who runs their host (not
    /// EasyPrivacy's, which name files).
    path_claims_host: Vec<bool>,
    owners_exact: HashMap<String, usize>,
    owners_wild: HashMap<String, usize>,
}

impl Matcher {
    pub(crate) fn build(
        vendors: &[Vendor],
        owners: &[super::Owner],
    ) -> Result<Matcher, BuildError> {
        let Patterns {
            urls,
            snippets,
            consent_attrs,
        } = pattern::compile(vendors)?;

        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut wild: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in urls.iter().enumerate() {
            let map = if u.wildcard { &mut wild } else { &mut exact };
            map.entry(u.host.clone()).or_default().push(i);
        }
        let mut literals: Vec<&str> = urls
            .iter()
            .filter(|u| u.in_code)
            .map(|u| u.host.as_str())
            .collect();
        literals.sort_unstable();
        literals.dedup();
        let host_ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&literals)
            .expect("host literals are short and bounded");

        let snippet_index =
            SnippetIndex::new(snippets.iter().map(|s| s.compiled.clone()).collect());

        // Owners are looked up only for hosts no vendor claims; the first
        // listed wins.
        let mut owners_exact = HashMap::new();
        let mut owners_wild = HashMap::new();
        for (oi, o) in owners.iter().enumerate() {
            for h in &o.hosts {
                let h = h.get_ref().to_ascii_lowercase();
                match h.strip_prefix("*.") {
                    Some(base) => owners_wild.entry(base.to_string()).or_insert(oi),
                    None => owners_exact.entry(h).or_insert(oi),
                };
            }
        }

        Ok(Matcher {
            owners_exact,
            owners_wild,
            urls,
            exact,
            wild,
            host_ac,
            snippets,
            snippet_index,
            consent_attrs,
            categories: vendors.iter().map(|v| v.category).collect(),
            path_claims_host: vendors
                .iter()
                .map(|v| v.origin() != "easyprivacy")
                .collect(),
        })
    }

    /// Every distinct host literal, for `rg -F -f` comparisons and docs.
    pub fn host_literals(&self) -> Vec<String> {
        let mut v: Vec<String> = self.urls.iter().map(|u| u.host.clone()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The owner (index into the ruleset's owners) of a host no vendor claims.
    pub fn owner(&self, host: &str) -> Option<usize> {
        if let Some(&o) = self.owners_exact.get(host) {
            return Some(o);
        }
        url::suffixes(host).find_map(|suffix| self.owners_wild.get(suffix).copied())
    }

    /// Whether a vendor is a consent manager.
    pub fn is_consent_vendor(&self, vendor: usize) -> bool {
        self.categories[vendor] == Category::ConsentManager
    }

    /// The vendor owning `host`/`path`, most specific pattern first: a path
    /// pattern beats a host-only one, an exact host beats a wildcard, and a
    /// longer host or path beats a shorter one.
    pub fn resolve(&self, host: &str, path: &str) -> Option<HostMatch> {
        self.resolve_in(host, path, false)
    }

    /// [`Matcher::resolve`], limited to patterns searched for in code when
    /// `code_only`.
    fn resolve_in(&self, host: &str, path: &str, code_only: bool) -> Option<HostMatch> {
        self.candidates(host)
            .filter(|(u, _)| !code_only || u.in_code)
            .filter(|(u, _)| u.path.as_ref().is_none_or(|p| p.matches(path)))
            .max_by_key(|(u, exact)| {
                (
                    u.path.as_ref().map_or(0, |p| p.specificity() + 1),
                    *exact,
                    u.host.len(),
                )
            })
            .map(|(u, _)| HostMatch {
                vendor: u.vendor,
                kind: u.kind,
            })
    }

    /// The vendor owning any pattern on `host`, whatever the path (for
    /// `preconnect`, which names only a host).
    pub fn resolve_host(&self, host: &str) -> Option<HostMatch> {
        self.candidates(host)
            .max_by_key(|(u, exact)| (u.path.is_none(), *exact, u.host.len()))
            .map(|(u, _)| HostMatch {
                vendor: u.vendor,
                kind: u.kind,
            })
    }

    /// Who claims `host`, for a resource hint: `None` when no vendor has a
    /// pattern on it.
    pub fn claim(&self, host: &str) -> Option<HostClaim> {
        let m = self.resolve_host(host)?;
        // EasyPrivacy's path rules name files on shared infrastructure
        // (`*.googleapis.com/aam.js`): they say nothing of who runs the
        // host, so they claim no hint.
        if m.kind != PatternKind::Host && !self.path_claims_host[m.vendor] {
            return None;
        }
        let whole =
            m.kind == PatternKind::Host && self.candidates(host).all(|(u, _)| u.vendor == m.vendor);
        Some(HostClaim {
            vendor: m.vendor,
            whole,
        })
    }

    /// Patterns whose host matches `host`, with whether the match is exact.
    fn candidates<'a>(&'a self, host: &'a str) -> impl Iterator<Item = (&'a UrlPattern, bool)> {
        let exact = self
            .exact
            .get(host)
            .into_iter()
            .flatten()
            .map(|&i| (&self.urls[i], true));
        // `*.example.com` matches `example.com` and every subdomain.
        let parents = url::suffixes(host)
            .flat_map(move |suffix| self.wild.get(suffix).into_iter().flatten())
            .map(|&i| (&self.urls[i], false));
        exact.chain(parents)
    }

    /// Whether a script attribute gates the tag on client-side consent.
    pub fn consent_attribute(&self, name: &str, value: &str) -> Option<AttrMatch> {
        self.consent_attrs
            .iter()
            .find(|a| {
                a.name == name
                    && a.token_prefix.as_ref().is_none_or(|prefix| {
                        value
                            .split_ascii_whitespace()
                            .any(|t| t.starts_with(prefix.as_str()))
                    })
            })
            .map(|a| AttrMatch {
                vendor: a.vendor,
                pattern: a.pattern.clone(),
            })
    }

    /// Finds tracker URLs and snippets in code, reporting hits that start in
    /// `from..limit`. Bytes outside that range are read only as context, so a
    /// streaming caller can scan overlapping windows without double reports.
    ///
    /// A URL belongs to the window in which its host literal starts;
    /// `covered` (carried from window to window) is where the last reported
    /// URL ends, so a host is never reported twice. A snippet belongs to the
    /// window in which its whole match starts (see `SnippetIndex::find`).
    /// Reads stay within `MAX_URL_CONTEXT` bytes after `limit`.
    pub fn scan_text(
        &self,
        text: &[u8],
        from: usize,
        limit: usize,
        covered: &mut usize,
        out: &mut Vec<TextHit>,
    ) {
        let limit = limit.min(text.len());
        if from >= limit {
            return;
        }
        for m in self.host_ac.find_iter(Input::new(text).range(from..)) {
            if m.start() >= limit {
                break;
            }
            if m.start() < *covered {
                continue;
            }
            if let Some(hit) = self.url_at(text, m.start(), m.end()) {
                *covered = hit.range.end;
                out.push(hit);
            }
        }
        let mut snippets = Vec::new();
        self.snippet_index.find(text, from, limit, &mut snippets);
        out.extend(snippets.into_iter().map(|(range, i)| {
            let s = &self.snippets[i];
            TextHit {
                range,
                kind: TextHitKind::Snippet {
                    vendor: s.vendor,
                    consent: s.consent,
                    signature: s.signature.clone(),
                },
            }
        }));
    }

    /// Grows a host-literal hit at `start..end` into the URL around it and
    /// resolves it; `None` if it is not a vendor URL.
    fn url_at(&self, text: &[u8], start: usize, end: usize) -> Option<TextHit> {
        let floor = start.saturating_sub(MAX_HOST);
        let mut hs = start;
        while hs > floor && is_host_byte(text[hs - 1]) {
            hs -= 1;
        }
        let ceil = (end + MAX_HOST).min(text.len());
        let mut he = end;
        while he < ceil && is_host_byte(text[he]) {
            he += 1;
        }
        // A host is followed by neither more host text nor a word.
        let raw_host = &text[hs..he];
        let trimmed_start = raw_host.iter().take_while(|&&b| b == b'.').count();
        let trimmed_end = raw_host.iter().rev().take_while(|&&b| b == b'.').count();
        if trimmed_start + trimmed_end >= raw_host.len() {
            return None;
        }
        let host_range = hs + trimmed_start..he - trimmed_end;
        let host = std::str::from_utf8(&text[host_range.clone()])
            .ok()?
            .to_ascii_lowercase();
        // Quick reject: nothing is registered for this host or its parents.
        self.candidates(&host).next()?;

        let (path, url_end) = read_path(text, host_range.end);
        let matched = self.resolve_in(&host, &path, true)?;
        let span_start = scheme_start(text, host_range.start);
        Some(TextHit {
            range: span_start..url_end,
            kind: TextHitKind::Url {
                matched,
                url: UrlParts { host, path },
            },
        })
    }
}

/// Reads an optional `:port` and the path after a host in code, with JSON
/// `\/` escapes undone. Returns the path (`/` if none) and where the URL ends
/// (query and fragment included).
fn read_path(text: &[u8], host_end: usize) -> (String, usize) {
    let mut i = host_end;
    if text.get(i) == Some(&b':') {
        let digits = text[i + 1..]
            .iter()
            .take(5)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 {
            i += 1 + digits;
        }
    }
    let ceil = (i + MAX_PATH).min(text.len());
    let mut path = Vec::new();
    let mut in_path = true;
    let starts_path = text.get(i) == Some(&b'/') || text[i..].starts_with(b"\\/");
    if !starts_path {
        return ("/".to_string(), i);
    }
    while i < ceil {
        let b = text[i];
        if b == b'\\' {
            if text.get(i + 1) == Some(&b'/') {
                if in_path {
                    path.push(b'/');
                }
                i += 2;
                continue;
            }
            break;
        }
        if !is_url_byte(b) {
            break;
        }
        if b == b'?' || b == b'#' {
            in_path = false;
        }
        if in_path {
            path.push(b);
        }
        i += 1;
    }
    (String::from_utf8_lossy(&path).into_owned(), i)
}

/// Where a URL whose host starts at `host_start` really starts: back over
/// `//` or `\/\/` and an `http:`/`https:` scheme, if present.
fn scheme_start(text: &[u8], host_start: usize) -> usize {
    let before = &text[host_start.saturating_sub(16)..host_start];
    let slashes = if before.ends_with(b"\\/\\/") {
        4
    } else if before.ends_with(b"//") {
        2
    } else {
        return host_start;
    };
    let mut start = host_start - slashes;
    let head = &text[start.saturating_sub(6)..start];
    for scheme in [&b"https:"[..], b"http:"] {
        if head.len() >= scheme.len()
            && head[head.len() - scheme.len()..].eq_ignore_ascii_case(scheme)
        {
            start -= scheme.len();
            break;
        }
    }
    start
}

/// Bytes that continue a URL in code: anything but quotes, whitespace,
/// brackets and the like.
fn is_url_byte(b: u8) -> bool {
    b > b' '
        && !matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'|'
                | b'^'
                | b'\\'
                | b','
                | 0x7f
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::Ruleset;

    fn builtin() -> Ruleset {
        Ruleset::builtin().unwrap()
    }

    fn vendor_of(rs: &Ruleset, m: Option<HostMatch>) -> Option<&str> {
        m.map(|m| rs.vendors[m.vendor].id.get_ref().as_str())
    }

    fn text_hits(rs: &Ruleset, text: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        let mut covered = 0;
        rs.matcher
            .scan_text(text.as_bytes(), 0, text.len(), &mut covered, &mut out);
        out.into_iter()
            .map(|h| {
                let url = match &h.kind {
                    TextHitKind::Url { url, .. } => Some(url.display()),
                    TextHitKind::Snippet { .. } => None,
                };
                (text[h.range].to_string(), url)
            })
            .collect()
    }

    #[test]
    fn a_hint_names_a_vendor_only_for_a_host_wholly_its_own() {
        let rs = builtin();
        let claim = |h: &str| {
            rs.matcher.claim(h).map(|c| {
                let v = &rs.vendors[c.vendor];
                (v.owner(), c.whole.then(|| v.id.get_ref().as_str()))
            })
        };
        assert_eq!(
            claim("www.google-analytics.com"),
            Some(("Google", Some("google-analytics")))
        );
        assert_eq!(
            claim("connect.facebook.net"),
            Some(("Meta", Some("meta-pixel")))
        );
        // Claimed by path only: the host is the company's, not a vendor's.
        assert_eq!(claim("www.google.com"), Some(("Google", None)));
        assert_eq!(claim("www.facebook.com"), Some(("Meta", None)));
        // Tag Manager's host, where Google Analytics claims `/gtag/js`.
        assert_eq!(claim("www.googletagmanager.com"), Some(("Google", None)));
        // EasyPrivacy's `*.googleapis.com/aam.js` names a file, not who
        // runs Google Fonts.
        assert_eq!(claim("fonts.googleapis.com"), None);
    }

    #[test]
    fn most_specific_pattern_wins() {
        let rs = builtin();
        let r = |h: &str, p: &str| vendor_of(&rs, rs.matcher.resolve(h, p));
        // gtag.js is Google Analytics' loader on Tag Manager's host.
        assert_eq!(
            r("www.googletagmanager.com", "/gtag/js"),
            Some("google-analytics")
        );
        assert_eq!(
            r("www.googletagmanager.com", "/gtm.js"),
            Some("google-tag-manager")
        );
        // A path pattern on a wildcard host beats the host-only wildcard.
        assert_eq!(
            r(
                "googleads.g.doubleclick.net",
                "/pagead/viewthroughconversion/1/"
            ),
            Some("google-ads")
        );
        assert_eq!(
            r("stats.g.doubleclick.net", "/j/collect"),
            Some("doubleclick")
        );
        // Wildcards cover the apex and deeper subdomains, not look-alikes.
        assert_eq!(r("google-analytics.com", "/"), Some("google-analytics"));
        assert_eq!(r("a.b.google-analytics.com", "/"), Some("google-analytics"));
        assert_eq!(r("notgoogle-analytics.com", "/"), None);
        // Shared hosts match only on their tracking paths.
        assert_eq!(r("www.facebook.com", "/tr"), Some("meta-pixel"));
        assert_eq!(r("www.facebook.com", "/tr/"), Some("meta-pixel"));
        assert_eq!(r("www.facebook.com", "/trending"), None);
        assert_eq!(r("www.facebook.com", "/ourclinic"), None);
        assert_eq!(r("plausible.io", "/"), None);
    }

    #[test]
    fn urls_in_code_are_grown_and_unescaped() {
        let rs = builtin();
        assert_eq!(
            text_hits(&rs, r#"x="https:\/\/api.segment.io\/v1\/t?x=1";"#),
            [(
                r"https:\/\/api.segment.io\/v1\/t?x=1".to_string(),
                Some("api.segment.io/v1/t".to_string())
            )]
        );
        assert_eq!(
            text_hits(&rs, "u='//WWW.Facebook.COM:443/tr?id=1'"),
            [(
                "//WWW.Facebook.COM:443/tr?id=1".to_string(),
                Some("www.facebook.com/tr".to_string())
            )]
        );
        // The GA loader builds its host from parts.
        assert_eq!(
            text_hits(
                &rs,
                r#"("https:"==p?"https://ssl":"http://www")+".google-analytics.com/ga.js""#
            ),
            [(
                "google-analytics.com/ga.js".to_string(),
                Some("google-analytics.com/ga.js".to_string())
            )]
        );
        assert!(
            text_hits(
                &rs,
                "see www.facebook.com/ourclinic and google-analytics.com.js.map"
            )
            .is_empty()
        );
    }

    #[test]
    fn snippets_match_any_quote_and_respect_identifier_bounds() {
        let rs = builtin();
        let found = |t: &str| {
            text_hits(&rs, t)
                .into_iter()
                .map(|h| h.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(found("fbq(\"init\",1)"), ["fbq(\"init\""]);
        assert_eq!(found("fbq(`init`,1)"), ["fbq(`init`"]);
        assert_eq!(found("window.fbq('init',1)"), ["fbq('init'"]);
        // Tokens, not bytes: spacing, line breaks and quotes do not matter.
        assert_eq!(found("fbq (\n  'init' ,1)"), ["fbq (\n  'init'"]);
        // Google Ads' signature is longer than Google Analytics' at the
        // same start, and wins.
        assert_eq!(
            found("gtag('config','AW-1');gtag( 'config' , 'G-1')"),
            ["gtag('config','AW-", "gtag( 'config'"]
        );
        assert!(found("myfbq('init',1)").is_empty());
        assert!(found("_hjSettingsX=1").is_empty());
        // JavaScript is case-sensitive.
        assert!(found("FBQ('init',1)").is_empty());
    }
}
