//! `tracklint check`: walk, scan every file in parallel, collect a report.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::policy::{self, Allowed};
use crate::rules::Ruleset;
use crate::scan::ScanContext;
use crate::walk;

/// A file or path that could not be scanned: the run fails with exit 2.
#[derive(Clone, Debug)]
pub struct FileError {
    /// The path as walked.
    pub file: String,
    /// Why it could not be scanned.
    pub message: String,
}

/// Everything a run found, in deterministic order.
pub struct Report {
    /// Findings sorted by file, line, column, rule.
    pub findings: Vec<Finding>,
    /// Findings accepted by `[[allow]]` entries, in the same order.
    pub allowed: Vec<Allowed>,
    /// Files that could not be scanned, sorted by path.
    pub errors: Vec<FileError>,
    /// How many files were scanned.
    pub files_scanned: usize,
    /// Symbolic links met while walking and not followed.
    pub links_skipped: Vec<String>,
    /// Wall time of the scan.
    pub elapsed: Duration,
}

impl Report {
    /// Findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The process exit code: 2 if anything could not be scanned, else 1 if
    /// any finding is an error, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
}

/// Runs a check with already-validated settings and a loaded ruleset.
pub fn run(settings: &Settings, ruleset: &Ruleset) -> Report {
    let started = Instant::now();
    let mut walked = walk::walk(settings);
    let ctx = ScanContext {
        ruleset,
        first_party: &settings.first_party,
    };
    let results: Vec<_> = walked
        .files
        .par_iter()
        .map(|f| {
            let scanned = ctx
                .scan_file(&f.path, &f.display)
                .map(|found| policy::apply(settings, ruleset, &f.rel, found));
            (f, scanned)
        })
        .collect();

    let mut findings = Vec::new();
    let mut allowed = Vec::new();
    let mut errors: Vec<FileError> = std::mem::take(&mut walked.errors)
        .into_iter()
        .map(|e| FileError {
            file: e.path,
            message: e.message,
        })
        .collect();
    let mut files_scanned = 0;
    for (f, r) in results {
        match r {
            Ok(mut applied) => {
                files_scanned += 1;
                findings.append(&mut applied.findings);
                allowed.append(&mut applied.allowed);
            }
            Err(e) => errors.push(FileError {
                file: f.display.clone(),
                message: e.to_string(),
            }),
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    allowed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    // A gate that looked at nothing must not pass: an empty or mistyped
    // build directory is a configuration error, not a clean site.
    if walked.files.is_empty() && errors.is_empty() {
        let paths: Vec<String> = settings
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        errors.push(FileError {
            file: paths.join(", "),
            message: "no HTML, template or JavaScript files found: nothing was checked".into(),
        });
    }
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    Report {
        findings,
        allowed,
        errors,
        files_scanned,
        links_skipped: walked.links_skipped,
        elapsed: started.elapsed(),
    }
}
