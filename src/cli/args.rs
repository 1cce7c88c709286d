//! Command-line arguments. Parsed into raw structs here, validated once by
//! [`tracklint::config::resolve`]; nothing downstream reads flags.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use tracklint::config::RawOptions;
use tracklint::input::shard::Shard;
use tracklint::report::Format;
use tracklint::report::model::FailOn;

/// `--fail-on`'s values, with their help.
fn fail_on() -> impl TypedValueParser<Value = FailOn> {
    PossibleValuesParser::new([
        PossibleValue::new("error").help("Error findings (default)"),
        PossibleValue::new("warning").help("Warning or error findings"),
        PossibleValue::new("never").help("Nothing: report only (unscannable files still exit 2)"),
    ])
    .map(|s| s.parse::<FailOn>().expect("a listed value"))
}

/// A `--format` parser offering every format but `except`, with their help:
/// a format added to [`Format`] is offered without touching this file.
fn formats(except: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        Format::ALL
            .iter()
            .filter(|f| !except.contains(f))
            .map(|f| PossibleValue::new(f.name()).help(f.help())),
    )
    .map(|s| s.parse::<Format>().expect("a listed value"))
}

/// The formats `check` does not write: the audit page is `tracklint report`.
const NOT_CHECK: &[Format] = &[Format::Html];

/// The formats `merge` does not write.
const NOT_MERGE: &[Format] = &[Format::Junit, Format::Html];

/// Finds third-party tracking in a static site's built output before it ships.
///
/// tracklint walks HTML, templates and JavaScript and reports tracker scripts
/// (Google Analytics, Meta Pixel, Segment, Hotjar, ...), tracking pixels,
/// analytics snippets in inline and bundled code, and consent checks done in
/// the browser. Exit codes: 0 clean, 1 error findings, 2 usage, config or
/// I/O error (a file that could not be scanned is never a silent pass).
#[derive(Debug, Parser)]
#[command(name = "tracklint", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories for tracking code.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Scan like `check` and write a self-contained HTML audit report.
    ///
    /// One page, no external assets or scripts (a Content-Security-Policy
    /// forbids loading anything): totals, vendors with category and BAA
    /// status, a matrix of pages by vendor coloured by severity, sensitive
    /// pages highlighted, and every finding with its code excerpt and
    /// origin. Pages are grouped by directory, identical findings share one
    /// card, and a search box filters it all. Exit codes as `check`; the
    /// report is written even when files could not be scanned.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// List every rule and vendor, with category, BAA status and source.
    Rules(RulesArgs),
    /// Explain a rule or a vendor: what it is, why it matters, how to fix it.
    #[command(
        after_help = "Examples:\n  tracklint explain tracker-pixel\n  tracklint explain meta-pixel"
    )]
    Explain(ExplainArgs),
    /// Combine the JSON reports of sharded runs (`check --shard K/N --format
    /// json`) into one report.
    #[command(
        after_help = "Example:\n  tracklint merge shard-*.json --format sarif --output tracklint.sarif"
    )]
    Merge(MergeArgs),
    /// Install or remove the git pre-commit and pre-merge-commit hooks that
    /// run `check --staged`.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Write a commented tracklint.toml for the site in the current directory.
    ///
    /// The site's own host is taken from CNAME, Jekyll's _config.yml `url`,
    /// Hugo's `baseURL`, package.json `homepage`, Astro's `site` or
    /// next-sitemap's `siteUrl`; existing template directories (_includes,
    /// _layouts, layouts, src, templates, …) become `[sources] paths`. An
    /// existing config is never overwritten.
    Init,
}

/// Arguments of `tracklint merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports written by `tracklint check --format json`.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_parser = formats(NOT_MERGE), default_value = "human")]
    pub format: Format,

    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Which findings fail the run (exit 1).
    #[arg(long, value_parser = fail_on(), default_value = "error")]
    pub fail_on: FailOn,

    /// Config file the shards used (for user rulesets).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `tracklint hook` actions.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install the pre-commit and pre-merge-commit hooks into the hooks
    /// directory git uses (core.hooksPath or $GIT_DIR/hooks, worktrees
    /// included). `git commit --no-verify` skips them: CI is the real gate.
    Install {
        /// Replace a different existing hook, keeping it as
        /// <hook>.tracklint-backup.
        #[arg(long)]
        force: bool,
    },
    /// Remove tracklint's hooks and restore their backups, if any.
    Uninstall,
}

/// Arguments of `tracklint rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,

    /// Config file whose rulesets and disabled vendors apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print only every vendor host, one per line (`*.` wildcards as the
    /// bare domain): a word list for `rg -F -f`, blocklists or CSP reviews.
    #[arg(long, conflicts_with = "format")]
    pub hosts: bool,
}

/// Arguments of `tracklint explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`tracker-script`) or vendor id (`google-analytics`).
    #[arg(value_name = "RULE-OR-VENDOR")]
    pub name: String,

    /// Config file whose rulesets apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  tracklint report _site --html tracklint-report.html
  tracklint report dist --html audit.html --first-party '*.clinic.example' --fail-on never
  tracklint report dist --html audit.html --baseline .tracklint-baseline.json

For a pull-request comment, use `tracklint check dist --format markdown`.";

const CHECK_EXAMPLES: &str = "\
Examples:
  tracklint check _site/                      scan a Jekyll build
  tracklint check dist --format json          machine-readable output
  tracklint check dist --first-party '*.clinic.example'
  tracklint check . --exclude 'vendor/**' --exclude '*.min.js'
  tracklint check --staged                    what the pre-commit hook runs
  tracklint check dist --format sarif -o tracklint.sarif
  tracklint check dist --write-baseline .tracklint-baseline.json
  tracklint check _site --sources '_includes/**'   name the template behind each finding
  tracklint check dist --format markdown -o comment.md   for a pull-request comment

Rules: tracker-script, tracker-pixel, tracker-snippet, client-side-consent,
suppression-without-reason (errors); third-party-script, third-party-embed,
tracker-preconnect, unused-suppression (warnings). `tracklint explain <rule>`.

Suppress one finding, with a reason, on the line before it or at its end:
  <!-- tracklint-ignore meta-pixel: proxied through our BAA-covered collector -->
  // tracklint-ignore tracker-snippet: test fixture, never deployed
  {# tracklint-ignore hotjar: in a template, a template comment #}";

/// `tracklint rules` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// Diagnostics with source excerpts, for people.
    Human,
    /// One JSON document on stdout, for tools.
    Json,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What to scan and how to judge it: the arguments `check` and `report`
/// share.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan. Directories are walked recursively
    /// (`.gitignore` is not honoured, so build output is scanned); files are
    /// scanned whatever their extension.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Which findings fail the run (exit 1).
    #[arg(long, value_parser = fail_on(), default_value = "error")]
    pub fail_on: FailOn,

    /// Report findings recorded in FILE (see --write-baseline) as baselined,
    /// not failing, and baseline entries that no longer occur as fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Ignore inline `tracklint-ignore` comments (for audits).
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Follow symbolic links while walking directories (a link loop is an
    /// error). By default links are not followed, and each one is named.
    #[arg(long)]
    pub follow: bool,

    /// Make a symbolic link met while walking an error (exit 2) instead of a
    /// note: nothing in the tree goes unscanned without failing the run.
    #[arg(long)]
    pub strict: bool,

    /// Scan files in N threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Config file (default: tracklint.toml or .tracklint.toml in the current
    /// directory or an ancestor, up to the repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Scan only files matching GLOB, whatever their extension (repeatable).
    /// A glob without `/` matches file names anywhere.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files and directories matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// A host your organisation controls, never reported as third-party
    /// (repeatable; `*.example.org` matches example.org and its subdomains).
    #[arg(long = "first-party", value_name = "DOMAIN")]
    pub first_party: Vec<String>,

    /// Templates the site is built from, as a glob relative to the current
    /// directory (repeatable; replaces the config's `[sources] paths`):
    /// findings in built pages name the template line that produced them,
    /// and matching files are scanned as templates.
    #[arg(long, value_name = "GLOB")]
    pub sources: Vec<String>,
}

/// Arguments of `tracklint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to scan.
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Output format.
    #[arg(long, value_parser = formats(NOT_CHECK), default_value = "human")]
    pub format: Format,

    /// Write the report to FILE (atomically: complete or absent) instead of
    /// stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Scan the staged content of added, copied, modified and renamed files
    /// (from the git index, honouring GIT_INDEX_FILE) instead of walking.
    /// PATHs, if given, limit the staged files considered.
    #[arg(long)]
    pub staged: bool,

    /// Record every current finding in FILE as the new baseline, then exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Scan only the K-th of N shares of the files (by a hash of each path,
    /// the same on every machine), for CI matrices; combine the JSON
    /// reports with `tracklint merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,

    /// Print findings only: no summary line.
    #[arg(long, short)]
    pub quiet: bool,

    /// Colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Arguments of `tracklint report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What to scan.
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Write the HTML audit report to FILE (atomically: complete or absent).
    #[arg(long, value_name = "FILE", required = true)]
    pub html: PathBuf,
}

impl ScanArgs {
    /// The options that config resolution merges with the config file.
    pub fn raw_options(&self) -> RawOptions {
        RawOptions {
            paths: self.paths.clone(),
            config: self.config.clone(),
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            first_party: self.first_party.clone(),
            follow: self.follow,
            strict: self.strict,
            sources: self.sources.clone(),
        }
    }
}
