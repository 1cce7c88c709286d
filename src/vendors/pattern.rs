//! Compiling a ruleset's vendor patterns: every `hosts`, `scripts`,
//! `pixels`, `snippets`, `consent_snippets` and `consent_attributes` entry
//! (and each vendor id) is checked — well-formed, claimed by one vendor
//! only — and turned into the patterns [`Matcher`](super::Matcher) indexes.
//! A refused one is a [`BuildError`] at its span in the TOML.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::matcher::MAX_HOST;
use super::snippet::{self, Signature, Token};
use super::{PatternKind, Vendor};
use crate::url::PathPattern;

/// Bounds on snippet signatures: short ones would match everywhere.
const SNIPPET_LEN: Range<usize> = 4..200;

/// A `hosts`, `scripts` or `pixels` entry, compiled.
pub(super) struct UrlPattern {
    pub(super) vendor: usize,
    /// Searched for in code, not only resolved from HTML attributes.
    pub(super) in_code: bool,
    pub(super) kind: PatternKind,
    pub(super) wildcard: bool,
    pub(super) host: String,
    pub(super) path: Option<PathPattern>,
}

/// A `snippets` or `consent_snippets` entry.
pub(super) struct Snippet {
    pub(super) vendor: usize,
    pub(super) consent: bool,
    /// As written in the ruleset.
    pub(super) signature: String,
    pub(super) compiled: Signature,
}

/// A `consent_attributes` entry.
pub(super) struct ConsentAttr {
    pub(super) vendor: usize,
    pub(super) name: String,
    pub(super) token_prefix: Option<String>,
    pub(super) pattern: String,
}

/// A pattern that could not be compiled, located in its ruleset.
pub(crate) struct BuildError {
    pub vendor: usize,
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Every vendor's patterns, checked, in ruleset order.
pub(super) struct Patterns {
    pub(super) urls: Vec<UrlPattern>,
    pub(super) snippets: Vec<Snippet>,
    pub(super) consent_attrs: Vec<ConsentAttr>,
}

/// Checks and compiles every vendor's id and patterns; the first one
/// refused is the error.
pub(super) fn compile(vendors: &[Vendor]) -> Result<Patterns, BuildError> {
    let mut urls = Vec::new();
    let mut snippets = Vec::new();
    let mut consent_attrs = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut seen_patterns: HashMap<(String, bool, Option<String>), usize> = HashMap::new();
    // Signatures by their tokens: (vendor, as written).
    let mut seen_snippets: HashMap<Vec<Token>, (usize, &str)> = HashMap::new();
    for (vi, v) in vendors.iter().enumerate() {
        let err = |span: Range<usize>, message: String, help: &str| BuildError {
            vendor: vi,
            span,
            message,
            help: help.to_string(),
        };
        check_id(&v.id).map_err(|m| {
            err(
                v.id.span(),
                m.to_string(),
                "ids are kebab-case slugs such as `meta-pixel`",
            )
        })?;
        if let Some(prev) = ids.insert(v.id.get_ref(), vi) {
            return Err(err(
                v.id.span(),
                format!(
                    "duplicate vendor id `{}` (first defined in {})",
                    v.id.get_ref(),
                    vendors[prev].source
                ),
                "give each vendor a unique id, or disable the built-in one",
            ));
        }
        let lists = [
            (&v.hosts, PatternKind::Host),
            (&v.scripts, PatternKind::Script),
            (&v.pixels, PatternKind::Pixel),
        ];
        for (list, kind) in lists {
            for p in list {
                let pat = parse_url_pattern(p.get_ref(), kind).map_err(|m| {
                    err(
                        p.span(),
                        m.to_string(),
                        "write `host` or `*.domain` (hosts) or `host/path` (scripts, pixels); lowercase, no scheme",
                    )
                })?;
                let key = (
                    pat.host.clone(),
                    pat.wildcard,
                    pat.path.as_ref().map(|p| p.as_str().to_ascii_lowercase()),
                );
                if let Some(prev) = seen_patterns.insert(key, vi) {
                    return Err(err(
                        p.span(),
                        format!(
                            "pattern `{}` is already claimed by vendor `{}`",
                            p.get_ref(),
                            vendors[prev].id.get_ref()
                        ),
                        "a URL must belong to exactly one vendor: remove one of the two",
                    ));
                }
                urls.push(UrlPattern {
                    vendor: vi,
                    in_code: v.match_in_code,
                    ..pat
                });
            }
        }
        for (list, consent) in [(&v.snippets, false), (&v.consent_snippets, true)] {
            for s in list {
                let text = s.get_ref();
                if !SNIPPET_LEN.contains(&text.len()) || text.trim() != text {
                    return Err(err(
                        s.span(),
                        format!(
                            "snippet `{text}` must be {} to {} characters with no leading or trailing space",
                            SNIPPET_LEN.start, SNIPPET_LEN.end
                        ),
                        "a short signature would match ordinary code; use a distinctive call such as `fbq('init'`",
                    ));
                }
                let Some(compiled) = Signature::compile(text) else {
                    return Err(err(
                        s.span(),
                        format!(
                            "snippet `{text}` has no identifier or string of {} characters or more to search for",
                            snippet::MIN_ANCHOR
                        ),
                        "a signature is searched for by its longest identifier or string; add a distinctive one such as `fbq` in `fbq('init'`",
                    ));
                };
                // Quotes and whitespace do not count: `fbq("init"` is
                // `fbq('init'`.
                match seen_snippets.get(compiled.tokens()) {
                    Some(&(prev, _)) if prev == vi => continue,
                    Some(&(prev, written)) => {
                        return Err(err(
                            s.span(),
                            format!(
                                "snippet `{text}` is already a signature of vendor `{}` (`{written}`)",
                                vendors[prev].id.get_ref()
                            ),
                            "a signature must belong to exactly one vendor: remove one of the two",
                        ));
                    }
                    None => {
                        seen_snippets.insert(compiled.tokens().to_vec(), (vi, text.as_str()));
                    }
                }
                snippets.push(Snippet {
                    vendor: vi,
                    consent,
                    signature: text.clone(),
                    compiled,
                });
            }
        }
        for a in &v.consent_attributes {
            consent_attrs.push(parse_consent_attr(a).map_err(|m| {
                err(
                    a.span(),
                    m.to_string(),
                    "write an attribute name (`data-cookieconsent`) or `name~=token-prefix`",
                )
            })?);
            consent_attrs.last_mut().expect("just pushed").vendor = vi;
        }
    }
    Ok(Patterns {
        urls,
        snippets,
        consent_attrs,
    })
}

/// Why a vendor id or pattern in a ruleset is refused (shown with the
/// TOML span it is at).
#[derive(Debug, thiserror::Error)]
enum PatternError {
    #[error("vendor id `{0}` is not a kebab-case slug")]
    NotSlug(String),
    #[error("pattern `{0}` must not include a scheme")]
    Scheme(String),
    #[error("`{host}` in pattern `{raw}` is not a lowercase host name (optionally `*.domain`)")]
    BadHost { host: String, raw: String },
    #[error("`hosts` entry `{0}` has a path; put host/path patterns under `scripts` or `pixels`")]
    HostWithPath(String),
    #[error("`{0}` needs a path; a pattern for a whole host belongs under `hosts`")]
    NeedsPath(String),
    #[error("path in pattern `{0}` is too long or has spaces or `**`")]
    BadPath(String),
    #[error("`{0}` has an empty token prefix")]
    EmptyTokenPrefix(String),
    #[error("`{0}` is not a lowercase attribute name")]
    BadAttribute(String),
}

fn check_id(id: &Spanned<String>) -> Result<(), PatternError> {
    let s = id.get_ref();
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(PatternError::NotSlug(s.clone()))
    }
}

fn parse_url_pattern(raw: &str, kind: PatternKind) -> Result<UrlPattern, PatternError> {
    let (host_part, path) = match raw.find('/') {
        Some(i) => (&raw[..i], Some(&raw[i..])),
        None => (raw, None),
    };
    if raw.contains("://") || raw.starts_with("//") {
        return Err(PatternError::Scheme(raw.to_string()));
    }
    let (wildcard, host) = match host_part.strip_prefix("*.") {
        Some(h) => (true, h),
        None => (false, host_part),
    };
    let host_ok = !host.is_empty()
        && host.len() <= MAX_HOST
        && host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !host.split('.').any(str::is_empty);
    if !host_ok {
        return Err(PatternError::BadHost {
            host: host_part.to_string(),
            raw: raw.to_string(),
        });
    }
    if kind == PatternKind::Host && path.is_some() {
        return Err(PatternError::HostWithPath(raw.to_string()));
    }
    if kind != PatternKind::Host && path.is_none_or(|p| p == "/" || p == "/*") {
        return Err(PatternError::NeedsPath(raw.to_string()));
    }
    if let Some(p) = path
        && (p.len() > 256 || p.contains("**") || p.bytes().any(|b| b <= b' '))
    {
        return Err(PatternError::BadPath(raw.to_string()));
    }
    Ok(UrlPattern {
        vendor: 0,
        in_code: true,
        kind,
        wildcard,
        host: host.to_string(),
        path: path.map(PathPattern::new),
    })
}

fn parse_consent_attr(a: &Spanned<String>) -> Result<ConsentAttr, PatternError> {
    let raw = a.get_ref();
    let (name, prefix) = match raw.split_once("~=") {
        Some((n, p)) if !p.is_empty() => (n, Some(p.to_string())),
        Some(_) => return Err(PatternError::EmptyTokenPrefix(raw.clone())),
        None => (raw.as_str(), None),
    };
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !name_ok {
        return Err(PatternError::BadAttribute(name.to_string()));
    }
    Ok(ConsentAttr {
        vendor: 0,
        name: name.to_string(),
        token_prefix: prefix,
        pattern: raw.clone(),
    })
}

#[cfg(test)]
mod tests {
    use crate::vendors::Ruleset;

    #[test]
    fn patterns_are_validated() {
        let bad = |hosts: &str| {
            let text = format!(
                "[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"no\"\n{hosts}\n"
            );
            Ruleset::from_sources(&[("t.toml".into(), text)])
                .err()
                .map(|e| e.message.clone())
        };
        assert!(bad("hosts = [\"https://x.example\"]").is_some());
        assert!(bad("hosts = [\"X.Example\"]").is_some());
        assert!(bad("hosts = [\"localhost\"]").is_some());
        assert!(bad("hosts = [\"x.example/path\"]").is_some());
        assert!(bad("scripts = [\"x.example\"]").is_some());
        assert!(bad("snippets = [\"ga\"]").is_some());
        assert!(bad("consent_attributes = [\"Data-X\"]").is_some());
        assert!(bad("hosts = [\"*.x.example\"]\nscripts = [\"x.example/a/*\"]").is_none());
        // A pattern already owned by a built-in vendor is a conflict.
        let text = "[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"no\"\nhosts = [\"*.google-analytics.com\"]\n";
        let mut sources: Vec<(String, String)> = crate::vendors::BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        sources.push(("user.toml".into(), text.into()));
        let err = Ruleset::from_sources(&sources).err().unwrap();
        assert!(
            err.message
                .contains("already claimed by vendor `google-analytics`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn snippets_need_an_anchor_and_one_vendor_per_token_sequence() {
        let load = |vendors: &str| {
            let text = vendors
                .split('|')
                .enumerate()
                .map(|(i, patterns)| {
                    format!(
                        "[[vendor]]\nid = \"v{i}\"\nname = \"V\"\ncategory = \"analytics\"\nbaa = \"no\"\n{patterns}\n"
                    )
                })
                .collect::<String>();
            Ruleset::from_sources(&[("t.toml".into(), text.clone())])
                .err()
                .map(|e| {
                    let span = e.span.expect("located");
                    let at = &text[span.offset()..span.offset() + span.len()];
                    (e.message.clone(), at.to_string(), e.help.clone().unwrap())
                })
        };
        // Nothing of three characters to search by.
        let (message, at, help) = load("snippets = [\"ga('x', 'y')\"]").unwrap();
        assert_eq!(
            message,
            "t.toml: snippet `ga('x', 'y')` has no identifier or string of 3 characters or more to search for"
        );
        assert_eq!(at, "\"ga('x', 'y')\"");
        assert!(help.contains("`fbq`"), "{help}");
        assert!(load("snippets = [\"ga('xyz'\"]").is_none());
        // The same tokens, spelt differently, for two vendors.
        let (message, at, _) =
            load("snippets = [\"fbq('init'\"]|consent_snippets = [\"fbq ( \\\"init\\\"\"]")
                .unwrap();
        assert_eq!(
            message,
            "t.toml: snippet `fbq ( \"init\"` is already a signature of vendor `v0` (`fbq('init'`)"
        );
        assert_eq!(at, "\"fbq ( \\\"init\\\"\"");
        // For one vendor, a repeat is harmless; an open string differs
        // from a closed one.
        assert!(load("snippets = [\"fbq('init'\", \"fbq(`init`\"]").is_none());
        assert!(load("snippets = [\"fbq('init'\"]|snippets = [\"fbq('init\"]").is_none());
    }
}
