//! The rules: what each finding means, how serious it is, and how to fix it.
//!
//! One file per rule, `src/rules/<rule_id>.rs` with the id's dashes as
//! underscores, holding in this order: a module doc comment; `SPEC`, its
//! [`RuleSpec`] (id, default severity, one-line summary and its
//! documentation, which `tracklint explain` and `docs/rules.md` print); and
//! `#[cfg(test)] mod tests`.
//!
//! **Adding a rule:** write `src/rules/<rule_id>.rs` like its neighbours,
//! then add one line `<rule_id>: <RuleVariant>;` to the `registry!` list
//! below, where it should appear in the documentation (the position is also
//! the rule's place in the `Ord` that sorts findings at one location). Then
//! regenerate `docs/rules.md` with `TRACKLINT_BLESS=1 cargo test --test docs`.

use std::fmt;
use std::fmt::Write as _;

use serde::Serialize;

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

/// Declares every rule once: its module, its [`Rule`] variant, its place in
/// [`Rule::ALL`] and its [`RuleSpec`].
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
    suppression_without_reason: SuppressionWithoutReason;
    unused_suppression: UnusedSuppression;
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
        "<!-- Generated from the rule specs in src/rules/; `tracklint explain <rule>` prints the same text. Regenerate with TRACKLINT_BLESS=1 cargo test --test docs. -->\n\n# tracklint rules\n\n",
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

#[cfg(test)]
mod tests {
    use super::*;

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
