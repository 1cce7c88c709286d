//! The rules: what each finding means, how serious it is, and how to fix it.
//!
//! Scanners report what they saw as a [`Seen`] fact: a URL in markup with
//! the vendor it belongs to, a vendor's signature in code, an inline
//! suppression. The rules decide what it means ([`decide`]). Each rule is one
//! file, `src/rules/<rule_id>.rs` (its id with `_` for `-`), holding in this
//! order: a module doc comment; `pub(crate) const SPEC: RuleSpec` (id,
//! default severity, one-line summary and the documentation that
//! `tracklint explain` and `docs/rules.md` show); `pub(crate) fn check(&Seen,
//! &Ruleset) -> Option<String>`, the finding's message when the rule
//! applies; and `#[cfg(test)] mod tests` with the snippets it must pass
//! (not report) and fail (report), scanned by `fixtures`.
//!
//! **Adding a rule** is one new file and one line:
//! 1. Write `src/rules/<rule_id>.rs` like its neighbours. Its `check` must
//!    not apply where another rule's does: the test
//!    `at_most_one_rule_applies_to_anything_seen` asks every rule about a
//!    grid of every kind of fact. (A rule about something no scanner
//!    reports yet also needs a new [`Seen`] variant, added to that grid, and
//!    a scanner that reports it.)
//! 2. Add `<rule_id>: <RuleVariant>;` to the `registry!` list below, at its
//!    place in the documentation, which is also its place in the order of
//!    findings at one location.
//!
//! Then regenerate `docs/rules.md` with
//! `cargo xtask gen`. `cargo fmt` does not see the
//! rule files, being declared inside a macro (rustfmt#3253): format them
//! with `rustfmt --edition 2024 src/rules/*.rs`, which CI checks.

use std::fmt;
use std::fmt::Write as _;

use serde::Serialize;

use crate::url::UrlParts;
use crate::vendors::{HostClaim, HostMatch, Ruleset};

/// Declares every rule once: its module, its [`Rule`] variant, its place in
/// [`Rule::ALL`], its [`RuleSpec`] and its decision, `check`.
macro_rules! registry {
    ($($module:ident: $variant:ident;)*) => {
        $(pub mod $module;)*

        /// Every rule tracklint knows, in documentation order. The
        /// kebab-case ids are part of the public contract (JSON output,
        /// suppressions, config): never rename one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Rule {
            $(
                #[doc = concat!("The rule defined in [`", stringify!($module), "`].")]
                $variant,
            )*
        }

        impl Rule {
            /// All rules, in documentation order.
            pub const ALL: [Rule; [$(stringify!($module)),*].len()] = [$(Rule::$variant),*];

            /// The rule's specification: id, severity, summary and docs.
            pub fn spec(self) -> &'static RuleSpec {
                match self {
                    $(Rule::$variant => &$module::SPEC,)*
                }
            }

            /// The finding's message if this rule applies to what was seen.
            pub fn check(self, seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
                match self {
                    $(Rule::$variant => $module::check(seen, rs),)*
                }
            }
        }

        /// Each rule's module name, in [`Rule::ALL`] order.
        #[cfg(test)]
        const MODULES: [&str; Rule::ALL.len()] = [$(stringify!($module)),*];
    };
}

registry! {
    tracker_script: TrackerScript;
    tracker_pixel: TrackerPixel;
    tracker_snippet: TrackerSnippet;
    client_side_consent: ClientSideConsent;
    third_party_script: ThirdPartyScript;
    third_party_embed: ThirdPartyEmbed;
    tracker_preconnect: TrackerPreconnect;
    tracker_form_action: TrackerFormAction;
    suppression_without_reason: SuppressionWithoutReason;
    unused_suppression: UnusedSuppression;
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For the record; never fails a run.
    Info,
    /// Worth a look; does not fail the run.
    Warning,
    /// Fails the run (exit code 1).
    Error,
}

impl Severity {
    /// One level up (`Error` stays `Error`).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Warning,
            Severity::Warning | Severity::Error => Severity::Error,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Everything that describes a rule, declared once in its file as `SPEC`.
#[derive(Debug)]
pub struct RuleSpec {
    /// The stable kebab-case id. Part of the public contract (JSON output,
    /// suppressions, config): never rename one.
    pub id: &'static str,
    /// The severity the rule reports at before any policy changes it.
    pub severity: Severity,
    /// One line on what the rule finds.
    pub summary: &'static str,
    /// The documentation `tracklint explain` prints.
    pub doc: RuleDoc,
}

/// A rule's documentation, in fixed sections.
#[derive(Debug)]
pub struct RuleDoc {
    /// What it finds.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A minimal example that is reported.
    pub example: &'static str,
    /// What to do instead.
    pub fix: &'static str,
}

/// Where in markup a URL was found: the kind of request it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// `<script src>` or a script preload.
    Script,
    /// An image-like request: `img`, `source`, `srcset`, CSS `url()`.
    Pixel,
    /// A frame: `iframe`, `frame`, `embed`.
    Frame,
    /// `preconnect` / `dns-prefetch`: a hint, judged as [`Seen::Hint`].
    Preconnect,
    /// A form submission: `<form action>`, `formaction`.
    Form,
}

/// What a scanner saw, for the rules to judge. The scanner has done the
/// matching (which vendor a URL, a code signature or an attribute belongs
/// to); the rules decide what that means ([`decide`]).
#[derive(Clone, Copy, Debug)]
pub enum Seen<'a> {
    /// An absolute URL in an attribute of markup that fetches it.
    MarkupUrl {
        /// What kind of request the attribute makes.
        sink: Sink,
        /// The URL.
        url: &'a UrlParts,
        /// The vendor it belongs to, if any, by host and path.
        matched: Option<HostMatch>,
        /// Whether the host is one the organisation controls.
        first_party: bool,
        /// Who operates the host (an index into the ruleset's owners), when
        /// no vendor claims it and its operator is known.
        owner: Option<usize>,
    },
    /// A resource hint (`preconnect`, `dns-prefetch`, [`Sink::Preconnect`])
    /// to an absolute URL: it names a host, fetches nothing and sends no
    /// page data.
    Hint {
        /// The URL (only its host matters).
        url: &'a UrlParts,
        /// Who claims the host, if any vendor has a pattern on it.
        claim: Option<HostClaim>,
    },
    /// A vendor's URL in code.
    CodeUrl {
        /// The URL.
        url: &'a UrlParts,
        /// Whose it is, and which kind of pattern matched.
        matched: HostMatch,
    },
    /// A vendor's code signature in code.
    Snippet {
        /// Index into the ruleset's vendors.
        vendor: usize,
        /// Whether the signature is one of the vendor's consent checks.
        consent: bool,
        /// The signature as written in the ruleset.
        signature: &'a str,
    },
    /// A vendor's consent-gating attribute on an element that loads
    /// something.
    ConsentAttribute {
        /// The element's tag name.
        tag: &'a str,
        /// Index into the ruleset's vendors.
        vendor: usize,
        /// The attribute pattern as written in the ruleset.
        pattern: &'a str,
    },
    /// An inline `tracklint-ignore`, as written.
    Suppression {
        /// The rule ids or vendor slugs it names.
        targets: &'a [String],
        /// The reason it gives, if any.
        reason: Option<&'a str>,
    },
    /// A well-formed inline `tracklint-ignore` that matched no finding.
    UnusedSuppression {
        /// The rule ids or vendor slugs it names.
        targets: &'a [String],
        /// It ends a line of code (and covers that line), rather than
        /// standing alone (covering the next).
        trailing: bool,
    },
}

/// The rule that applies to what was seen, with the finding's message, or
/// `None` when it is not a finding. Rules are asked in registry order; their
/// conditions are mutually exclusive, so at most one applies.
pub fn decide(seen: &Seen<'_>, rs: &Ruleset) -> Option<(Rule, String)> {
    Rule::ALL
        .into_iter()
        .find_map(|r| r.check(seen, rs).map(|message| (r, message)))
}

/// ` (cdnjs — cdn)` after a third-party host whose operator is known.
fn operated_by(owner: Option<usize>, rs: &Ruleset) -> String {
    owner
        .map(|o| format!(" ({} — {})", rs.owners[o].name, rs.owners[o].category))
        .unwrap_or_default()
}

impl Rule {
    /// The stable kebab-case id.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The severity the rule reports at.
    pub fn severity(self) -> Severity {
        self.spec().severity
    }

    /// Whether the rule's findings are resource hints, which send no page
    /// data (issue 13): policy never raises them (a `[rules]` level still
    /// applies), and a vendor they name is not counted as present on the
    /// page in the reports' vendor tallies.
    pub fn is_hint(self) -> bool {
        self == Rule::TrackerPreconnect
    }

    /// One line on what the rule finds.
    pub fn summary(self) -> &'static str {
        self.spec().summary
    }

    /// The rule's documentation.
    pub fn doc(self) -> &'static RuleDoc {
        &self.spec().doc
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// `tracklint explain <rule>`: the rule's documentation as Markdown.
    pub fn explain(self) -> String {
        let d = self.doc();
        let mut s = String::new();
        let _ = writeln!(s, "# {} ({})\n", self.id(), self.severity());
        let _ = writeln!(s, "## What it does\n\n{}\n", d.what);
        let _ = writeln!(s, "## Why is this bad?\n\n{}\n", d.why);
        let _ = writeln!(s, "## Example\n\n```html\n{}\n```\n", d.example);
        let _ = writeln!(s, "## Use instead\n\n{}", d.fix);
        s
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

/// `docs/rules.md`: every rule's documentation, as `tracklint explain`
/// prints it.
pub fn markdown() -> String {
    let mut s = String::from(
        "<!-- Generated from the rule specs in src/rules/; `tracklint explain <rule>` prints the same text. Regenerate with cargo xtask gen. -->\n\n# tracklint rules\n\n",
    );
    for rule in Rule::ALL {
        s.push_str(
            &rule
                .explain()
                .replacen("# ", "## ", 1)
                .replace("\n## ", "\n### "),
        );
        s.push('\n');
    }
    s
}

/// Each rule's fixtures, scanned through the real scanner with the
/// built-in vendors.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::Rule;
    use crate::config::HostSet;
    use crate::scan::ScanContext;
    use crate::testing::invariants::builtin;

    /// The hosts fixtures treat as first-party, as `--first-party` would.
    pub(crate) const FIRST_PARTY: &str = "*.clinic.example";

    /// The `(rule, message)` of each finding in `source`, scanned as the
    /// file `name`: HTML, or JavaScript for a `.js` name.
    pub(crate) fn scan(name: &str, source: &str) -> Vec<(Rule, String)> {
        let mut first_party = HostSet::default();
        first_party.add(FIRST_PARTY).unwrap();
        let ctx = ScanContext::new(builtin(), &first_party);
        let scanned = ctx.scan_blob(source.as_bytes(), name, None).unwrap();
        assert!(!scanned.skipped_binary, "{name}");
        crate::policy::suppress::apply(scanned.findings, scanned.directives, ctx.ruleset)
            .into_iter()
            .filter(|f| f.status == crate::finding::Status::Reported)
            .map(|f| (f.rule, f.message))
            .collect()
    }

    /// Fails unless `rule` reports nothing in any `(file name, source)`.
    pub(crate) fn passes(rule: Rule, pass: &[(&str, &str)]) {
        for (name, source) in pass {
            let found = scan(name, source);
            assert!(
                found.iter().all(|(r, _)| *r != rule),
                "{rule} must not report {name}: {source}\nfound: {found:?}"
            );
        }
    }

    /// Fails unless `rule` reports the message in each `(file name,
    /// source, message)`.
    pub(crate) fn fails(rule: Rule, fail: &[(&str, &str, &str)]) {
        for (name, source, message) in fail {
            let found = scan(name, source);
            assert!(
                found.iter().any(|(r, m)| *r == rule && m == message),
                "{rule} must report `{message}` in {name}: {source}\nfound: {found:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::invariants::builtin;
    use crate::vendors::PatternKind;

    #[test]
    fn at_most_one_rule_applies_to_anything_seen() {
        let rs = builtin();
        let consent_manager = (0..rs.vendors.len())
            .find(|&v| rs.matcher.is_consent_vendor(v))
            .unwrap();
        let tracker = (0..rs.vendors.len())
            .find(|&v| !rs.matcher.is_consent_vendor(v))
            .unwrap();
        let url = UrlParts {
            host: "www.example.com".into(),
            path: "/x.js".into(),
        };
        let claims: Vec<HostClaim> = [consent_manager, tracker]
            .into_iter()
            .flat_map(|vendor| [false, true].map(|whole| HostClaim { vendor, whole }))
            .collect();
        let matches: Vec<HostMatch> = [consent_manager, tracker]
            .into_iter()
            .flat_map(|vendor| {
                [PatternKind::Host, PatternKind::Script, PatternKind::Pixel]
                    .map(|kind| HostMatch { vendor, kind })
            })
            .collect();
        let targets: Vec<Vec<String>> = [
            &[][..],
            &["meta-pixel"],
            &["tracker-pixel"],
            &["no-such-thing"],
            &["meta-pixel", "no-such-thing"],
        ]
        .iter()
        .map(|t| t.iter().map(std::string::ToString::to_string).collect())
        .collect();

        // Code and attributes: always a finding, by exactly one rule.
        let mut always = Vec::new();
        for &matched in &matches {
            always.push(Seen::CodeUrl { url: &url, matched });
        }
        for vendor in [consent_manager, tracker] {
            for consent in [false, true] {
                always.push(Seen::Snippet {
                    vendor,
                    consent,
                    signature: "init(",
                });
            }
            always.push(Seen::ConsentAttribute {
                tag: "script",
                vendor,
                pattern: "data-x",
            });
        }
        for t in &targets {
            for trailing in [false, true] {
                always.push(Seen::UnusedSuppression {
                    targets: t,
                    trailing,
                });
            }
        }
        // Markup and suppressions: a finding or not.
        let mut maybe = Vec::new();
        for sink in [
            Sink::Script,
            Sink::Pixel,
            Sink::Frame,
            Sink::Preconnect,
            Sink::Form,
        ] {
            for matched in std::iter::once(None).chain(matches.iter().copied().map(Some)) {
                for first_party in [false, true] {
                    for owner in [None, Some(0)] {
                        maybe.push(Seen::MarkupUrl {
                            sink,
                            url: &url,
                            matched,
                            first_party,
                            owner,
                        });
                    }
                }
            }
        }
        for claim in std::iter::once(None).chain(claims.iter().copied().map(Some)) {
            maybe.push(Seen::Hint { url: &url, claim });
        }
        for t in &targets {
            for reason in [None, Some("why")] {
                maybe.push(Seen::Suppression { targets: t, reason });
            }
        }

        let mut applied = Vec::new();
        for (seen, must) in always
            .iter()
            .map(|s| (s, true))
            .chain(maybe.iter().map(|s| (s, false)))
        {
            let rules: Vec<Rule> = Rule::ALL
                .into_iter()
                .filter(|r| r.check(seen, rs).is_some())
                .collect();
            assert!(rules.len() <= 1, "{seen:?}: {rules:?} all apply");
            assert!(!must || rules.len() == 1, "{seen:?}: no rule applies");
            assert_eq!(
                decide(seen, rs).map(|(r, _)| r),
                rules.first().copied(),
                "{seen:?}"
            );
            applied.extend(rules);
        }
        for rule in Rule::ALL {
            assert!(
                applied.contains(&rule),
                "{rule} applies to nothing in the grid"
            );
        }
    }

    #[test]
    fn ids_are_unique_serde_names_and_file_names() {
        for (rule, module) in Rule::ALL.into_iter().zip(MODULES) {
            assert_eq!(
                serde_json::to_value(rule).unwrap(),
                rule.id(),
                "{rule:?}: its id must be its serde name"
            );
            assert_eq!(rule.id().replace('-', "_"), module, "src/rules/<id>.rs");
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        let mut ids = Rule::ALL.map(Rule::id);
        ids.sort_unstable();
        let n = ids.len();
        let mut unique = ids.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), n, "duplicate rule ids: {ids:?}");
    }
}
