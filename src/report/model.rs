//! The one report model: everything a run found, in deterministic order.
//! `check`, `report` and `merge` produce it; every format renders it
//! ([`crate::report::Reporter`]); the JSON format is its serialised form
//! ([`crate::report::json`]), which `merge` reads back.

use std::str::FromStr;
use std::time::Duration;

use crate::finding::{Finding, SensitiveReason, Status};
use crate::input::shard::Shard;
use crate::policy::baseline::Entry;
use crate::rules::Severity;

/// A file or path that could not be scanned: the run fails with exit 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// The path as walked.
    pub file: String,
    /// Why it could not be scanned.
    pub message: String,
}

/// Which findings fail the run (`--fail-on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Error findings (default).
    #[default]
    Error,
    /// Warning or error findings.
    Warning,
    /// Nothing: report only (unscannable files still exit 2).
    Never,
}

impl FailOn {
    /// Every level, by name, as `--fail-on` takes them.
    pub const ALL: [(&'static str, FailOn); 3] = [
        ("error", FailOn::Error),
        ("warning", FailOn::Warning),
        ("never", FailOn::Never),
    ];
}

/// A name that is not one of a fixed list (`--fail-on`, `--format`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` is not one of {expected}")]
pub struct UnknownName {
    /// The name given.
    pub name: String,
    /// The names accepted, comma-separated.
    pub expected: String,
}

impl FromStr for FailOn {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<FailOn, UnknownName> {
        FailOn::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| UnknownName {
                name: s.to_string(),
                expected: "error, warning, never".to_string(),
            })
    }
}

/// Everything a run found, in deterministic order.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding, whatever its [`Status`], sorted by file, line,
    /// column, rule.
    pub findings: Vec<Finding>,
    /// Baseline entries that no longer occur (they have no location, so
    /// they are entries, not findings).
    pub fixed: Vec<Entry>,
    /// Files that could not be scanned, sorted by path.
    pub errors: Vec<FileError>,
    /// The files scanned, as shown, in order (empty for merged reports).
    pub files: Vec<String>,
    /// How many files were scanned.
    pub files_scanned: usize,
    /// Binary files skipped (found by content, not named as HTML or code).
    pub binary_skipped: usize,
    /// Symbolic links met while walking and not followed.
    pub links_skipped: Vec<String>,
    /// Notes from the run (unusable source maps, unreadable templates).
    pub notes: Vec<String>,
    /// Sensitive pages scanned, as shown, sorted: those `[sensitive]
    /// paths` matches and those whose forms ask for health information.
    /// Reports highlight them.
    pub sensitive: Vec<String>,
    /// Why each page found by its forms is sensitive, sorted by file.
    pub sensitive_reasons: Vec<SensitiveReason>,
    /// Whether a baseline was applied (reported findings are then the new
    /// ones).
    pub baseline: bool,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// The config file in effect, as shown; `None`: no file, the built-in
    /// defaults. Every format names it.
    pub config: Option<String>,
    /// The `--shard K/N` this report covers; `None`: every file (an
    /// unsharded or merged run).
    pub shard: Option<Shard>,
    /// Digest of the config in effect (the file and the flags that change
    /// findings): shards to merge must agree on it.
    pub config_digest: String,
    /// Digest of the full list of files to scan, before sharding: shards to
    /// merge must agree on it.
    pub files_digest: String,
}

impl Report {
    /// Puts the report in its deterministic order: findings by file, line,
    /// column, rule; fixed entries by file, rule, fingerprint; errors by
    /// path.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.fixed.sort_by(|a, b| {
            (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint))
        });
        self.errors.sort_by(|a, b| a.file.cmp(&b.file));
    }

    /// The reported findings: those that count towards the exit code.
    pub fn reported(&self) -> impl Iterator<Item = &Finding> + Clone {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Reported)
    }

    /// Findings an inline suppression accepted, with its reason.
    pub fn suppressed(&self) -> impl Iterator<Item = (&Finding, &str)> + Clone {
        self.findings.iter().filter_map(|f| match &f.status {
            Status::Suppressed { reason } => Some((f, reason.as_str())),
            _ => None,
        })
    }

    /// Findings an `[[allow]]` entry accepted, with its reason and where
    /// it is written.
    pub fn allowed(&self) -> impl Iterator<Item = (&Finding, &str, &str)> + Clone {
        self.findings.iter().filter_map(|f| match &f.status {
            Status::Allowed { reason, by } => Some((f, reason.as_str(), by.as_str())),
            _ => None,
        })
    }

    /// Findings recorded in the baseline.
    pub fn baselined(&self) -> impl Iterator<Item = &Finding> + Clone {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Baselined)
    }

    /// How many findings have each status.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for f in &self.findings {
            match f.status {
                Status::Reported => t.reported += 1,
                Status::Suppressed { .. } => t.suppressed += 1,
                Status::Allowed { .. } => t.allowed += 1,
                Status::Baselined => t.baselined += 1,
            }
        }
        t
    }

    /// Reported findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.reported().filter(|f| f.severity == severity).count()
    }

    /// The process exit code: 2 if anything could not be scanned, else 1 if
    /// a reported finding at the `fail_on` level or above remains, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        let failing = match fail_on {
            FailOn::Error => self.count(Severity::Error) > 0,
            FailOn::Warning => self.count(Severity::Error) + self.count(Severity::Warning) > 0,
            FailOn::Never => false,
        };
        if !self.errors.is_empty() {
            2
        } else if failing {
            1
        } else {
            0
        }
    }
}

/// How many findings have each [`Status`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Reported.
    pub reported: usize,
    /// Accepted by an inline suppression.
    pub suppressed: usize,
    /// Accepted by an `[[allow]]` entry.
    pub allowed: usize,
    /// In the baseline.
    pub baselined: usize,
}
