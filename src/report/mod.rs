//! Reporting: one model ([`model::Report`]) and one renderer per format,
//! each behind the one-method [`Reporter`] trait. Reporters only format a
//! report; they never scan.
//!
//! To add a format: write `src/report/<name>.rs` with a unit struct that
//! implements [`Reporter`], and add one line to the `formats!` list below.

pub mod catalog;
pub mod controls;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod model;
pub mod sarif;
pub mod summary;

use std::path::Path;

use crate::report::model::{FailOn, Report};
use crate::vendors::Ruleset;

/// Turns a report into text in one format.
pub trait Reporter {
    /// Writes `report` to `out`. Formats that can stream write finding by
    /// finding, so a run with 200,000 findings never holds its whole
    /// report in memory; the others write the text they build.
    fn write(
        &self,
        report: &Report,
        cx: &Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()>;

    /// Renders `report`: the bytes [`Reporter::write`] writes.
    fn render(&self, report: &Report, cx: &Context<'_>) -> String {
        let mut out = Vec::new();
        self.write(report, cx, &mut out)
            .expect("writing to memory cannot fail");
        String::from_utf8(out).expect("reports are UTF-8")
    }
}

/// What a reporter may need besides the report.
pub struct Context<'a> {
    /// The vendors the findings' indexes point into.
    pub ruleset: &'a Ruleset,
    /// Which findings fail the run (JUnit marks them as failures).
    pub fail_on: FailOn,
    /// Terminal styling for the human format.
    pub style: human::Style,
    /// The repository root, which SARIF paths are relative to.
    pub repo_root: Option<&'a Path>,
    /// The paths scanned, as given (the audit report shows them).
    pub paths: &'a [String],
}

impl<'a> Context<'a> {
    /// A context with defaults: fail on errors, no colour, no repository
    /// root, no paths.
    pub fn new(ruleset: &'a Ruleset) -> Context<'a> {
        Context {
            ruleset,
            fail_on: FailOn::Error,
            style: human::Style::default(),
            repo_root: None,
            paths: &[],
        }
    }
}

/// Lists every format once: its variant, its name on the command line, its
/// reporter.
macro_rules! formats {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal, $reporter:expr;)*) => {
        /// An output format.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Format {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Format {
            /// Every format, in documentation order.
            pub const ALL: &'static [Format] = &[$(Format::$variant,)*];

            /// The name `--format` takes.
            pub fn name(self) -> &'static str {
                match self {
                    $(Format::$variant => $name,)*
                }
            }

            /// One line on what the format is for.
            pub fn help(self) -> &'static str {
                match self {
                    $(Format::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }

            /// The format's reporter.
            pub fn reporter(self) -> &'static dyn Reporter {
                match self {
                    $(Format::$variant => &$reporter,)*
                }
            }
        }
    };
}

formats! {
    /// Diagnostics with source excerpts, for people.
    Human => "human", human::Human;
    /// One JSON document, for tools.
    Json => "json", json::Json;
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif => "sarif", sarif::Sarif;
    /// GitHub Actions workflow commands (annotations).
    Github => "github", github::Github;
    /// JUnit XML, for GitLab and Jenkins.
    Junit => "junit", junit::Junit;
    /// GitHub-flavoured Markdown summary, for pull-request comments.
    Markdown => "markdown", markdown::Markdown;
    /// A self-contained HTML audit report.
    Html => "html", html::Html;
}

impl std::str::FromStr for Format {
    type Err = model::UnknownName;
    fn from_str(s: &str) -> Result<Format, model::UnknownName> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| model::UnknownName {
                name: s.to_string(),
                expected: Format::ALL
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, cx: &Context<'_>) -> String {
    format.reporter().render(report, cx)
}

/// Writes `report` in `format` to `out` (streaming where the format
/// allows): the bytes [`render`] returns.
pub fn write(
    report: &Report,
    format: Format,
    cx: &Context<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    format.reporter().write(report, cx, out)
}
