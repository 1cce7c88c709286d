//! tracklint: finds third-party tracking in a static site's built output.
//!
//! The pipeline, one stage a module, each importing only the stages below
//! it (see ARCHITECTURE.md): [`input`] (walk, git index, read) → [`scan`]
//! (html, js, template → raw findings, judged by the [`rules`] against the
//! [`vendors`] database; `scan::locate` gives lines and columns) →
//! [`policy`] (suppress, severity, allow, baseline) → [`origin`] (source
//! maps, templates) → [`report`] (one model, one renderer per format).
//! [`check`] runs the stages in that order.
//!
//! ```no_run
//! use tracklint::report::{self, Context, Format};
//!
//! let mut opts = tracklint::Options::default();
//! opts.config.paths = vec!["_site".into()];
//! let run = tracklint::check(&opts)?;
//! print!("{}", report::render(&run.report, Format::Json, &Context::new(&run.vendors)));
//! std::process::exit(run.report.exit_code(Default::default()).into());
//! # Ok::<(), tracklint::Error>(())
//! ```
#![deny(missing_docs)]

pub mod check;
pub mod config;
pub mod error;
pub mod finding;
pub mod input;
pub mod origin;
pub mod output;
pub mod policy;
pub mod report;
pub mod rules;
pub mod scan;
pub mod suggest;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;
pub mod url;
pub mod vendors;

use std::path::PathBuf;

use crate::config::{ConfigError, RawOptions, Settings};
use crate::error::TomlError;
use crate::report::model::Report;
use crate::vendors::{LoadOptions, Ruleset};

/// Why a run could not produce a report (exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// The configuration or a flag is unusable.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// A ruleset is unusable, or the config names a vendor none defines.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Ruleset(#[from] TomlError),
    /// The run itself failed: no git repository for `--staged`, an
    /// unreadable baseline.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] check::CheckError),
    /// A report to merge is unreadable or does not fit.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Merge(#[from] report::merge::MergeError),
}

/// What a check is asked to do.
#[derive(Clone, Default)]
pub struct Options {
    /// Paths, config file and flag overrides, merged with the config file
    /// into validated [`Settings`].
    pub config: RawOptions,
    /// How inputs are chosen and findings treated.
    pub run: check::RunOptions,
}

/// A finished run: the report, the vendor database its findings point
/// into, and the settings it ran with.
pub struct Run {
    /// What was found.
    pub report: Report,
    /// The vendors (reporters need them to name a finding's vendor).
    pub vendors: Ruleset,
    /// The validated settings.
    pub settings: Settings,
}

/// Resolves the configuration, loads the vendors and checks the site.
pub fn check(opts: &Options) -> Result<Run, Error> {
    let settings = config::resolve(opts.config.clone())?;
    let vendors = load_vendors(&settings)?;
    let report = check::run(&settings, &vendors, &opts.run)?;
    Ok(Run {
        report,
        vendors,
        settings,
    })
}

/// Combines the JSON reports of sharded runs into one, as if one run had
/// scanned every file. `config` is the config file the shards used (for
/// user rulesets), else the one discovered from the current directory.
pub fn merge(reports: &[PathBuf], config: Option<PathBuf>) -> Result<Run, Error> {
    let settings = config::resolve(RawOptions {
        config,
        ..RawOptions::default()
    })?;
    let vendors = load_vendors(&settings)?;
    let report = report::merge::merge(reports, &vendors)?;
    Ok(Run {
        report,
        vendors,
        settings,
    })
}

/// Loads the vendors `settings` ask for, checking the ids the config names.
pub fn load_vendors(settings: &Settings) -> Result<Ruleset, Error> {
    let disabled: Vec<&str> = settings
        .disabled_vendors
        .iter()
        .map(|s| s.get_ref().as_str())
        .collect();
    let ruleset = Ruleset::load(LoadOptions {
        use_default: settings.use_default,
        extra: &settings.rulesets,
        disabled: &disabled,
    })?;
    let known: Vec<&str> = ruleset.known_ids.iter().map(String::as_str).collect();
    settings.check_vendor_ids(&known)?;
    Ok(ruleset)
}
